//! The optional privilege payload ZEGO's servers check when "privilege
//! authentication" is enabled for an app.

use crate::json::{self, JsonError, Reader, ShapeTracker};

/// A typed privilege payload.
///
/// On the wire it is the JSON string
/// `{"room_id":"demo","privilege":{"1":1,"2":0},"stream_id_list":null}`:
/// privilege `"1"` allows logging in to the room, `"2"` allows publishing
/// streams (`1` enabled, `0` disabled). An empty `room_id` means "any room";
/// an empty `stream_ids` list is written as `null` and means "any stream".
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PrivilegePayload {
    /// The room the token may log in to (empty: no room restriction).
    pub room_id: String,
    /// Privilege `"1"`: log in to the room.
    pub login: bool,
    /// Privilege `"2"`: publish streams.
    pub publish: bool,
    /// The only stream ids that may be published (empty: no stream-id check).
    pub stream_ids: Vec<String>,
}

impl PrivilegePayload {
    /// Room-login check only: login on, publish off, no stream list.
    #[must_use]
    pub fn login_only(room_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            login: true,
            publish: false,
            stream_ids: Vec::new(),
        }
    }

    /// Publishing only (login off, no room): publish on, limited to `stream_ids`
    /// (an empty list means any stream).
    #[must_use]
    pub fn publish_only<I, S>(stream_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            room_id: String::new(),
            login: false,
            publish: true,
            stream_ids: stream_ids.into_iter().map(Into::into).collect(),
        }
    }

    /// Login to `room_id` and publish, limited to `stream_ids` (an empty list
    /// means any stream).
    #[must_use]
    pub fn login_and_publish<I, S>(room_id: impl Into<String>, stream_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            room_id: room_id.into(),
            login: true,
            publish: true,
            stream_ids: stream_ids.into_iter().map(Into::into).collect(),
        }
    }

    /// The payload JSON exactly as ZEGO's Go reference writes it (compact,
    /// keys in this order, Go's HTML-safe escaping, `null` for an empty
    /// stream list).
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(self.json_len());
        out.extend_from_slice(b"{\"room_id\":");
        json::write_str(&mut out, &self.room_id);
        out.extend_from_slice(b",\"privilege\":{\"1\":");
        out.push(if self.login { b'1' } else { b'0' });
        out.extend_from_slice(b",\"2\":");
        out.push(if self.publish { b'1' } else { b'0' });
        out.extend_from_slice(b"},\"stream_id_list\":");
        if self.stream_ids.is_empty() {
            out.extend_from_slice(b"null");
        } else {
            out.push(b'[');
            for (i, s) in self.stream_ids.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json::write_str(&mut out, s);
            }
            out.push(b']');
        }
        out.push(b'}');
        // Only complete UTF-8 strings and ASCII were written.
        String::from_utf8(out).unwrap_or_default()
    }

    fn json_len(&self) -> usize {
        let list: usize = if self.stream_ids.is_empty() {
            4
        } else {
            self.stream_ids
                .iter()
                .map(|s| json::escaped_len(s).saturating_add(1))
                .fold(1usize, usize::saturating_add)
        };
        // {"room_id":  ,"privilege":{"1":X,"2":X},"stream_id_list":  }
        json::escaped_len(&self.room_id)
            .saturating_add(list)
            .saturating_add(56)
    }

    /// Reads a payload in any valid JSON form of this shape (any key order,
    /// whitespace, escaping; e.g. Python's spaced `json.dumps` output).
    ///
    /// `room_id` may be missing or `null` (no room), `privilege` must be an
    /// object whose `"1"`/`"2"` entries, when present, are `0` or `1`
    /// (missing = disabled), `stream_id_list` may be missing, `null` or an
    /// array of strings. Unknown keys are ignored; duplicate keys, other
    /// types and invalid JSON give `None`.
    #[must_use]
    pub fn from_json(text: &str) -> Option<Self> {
        let mut out = Self::default();
        let mut seen = [false; 3];
        let mut shape = ShapeTracker::default();
        let r = json::read_object(text, &mut shape, |r, key, shape| {
            let slot = match &*key {
                "room_id" => 0,
                "privilege" => 1,
                "stream_id_list" => 2,
                _ => return r.skip_value(),
            };
            if let Some(seen) = seen.get_mut(slot) {
                if *seen {
                    shape.note("duplicate key");
                }
                *seen = true;
            }
            let res = match slot {
                0 => read_opt_string(r).map(|s| out.room_id = s),
                1 => read_privileges(r).map(|(l, p)| {
                    out.login = l;
                    out.publish = p;
                }),
                _ => read_stream_list(r).map(|v| out.stream_ids = v),
            };
            shape.check(res).map(drop)
        });
        let [_, has_privilege, _] = seen;
        (r.is_ok() && has_privilege).then_some(out)
    }
}

fn read_opt_string(r: &mut Reader<'_>) -> Result<String, JsonError> {
    match r.peek_value() {
        Some(b'"') => Ok(r.string()?.into_owned()),
        Some(b'n') => r.take_null().map(|_| String::new()),
        _ => {
            r.skip_value()?;
            Err(JsonError::Shape("room_id"))
        }
    }
}

fn read_privileges(r: &mut Reader<'_>) -> Result<(bool, bool), JsonError> {
    if r.peek_value() != Some(b'{') {
        r.skip_value()?;
        return Err(JsonError::Shape("privilege"));
    }
    let mut bits = [None::<bool>; 2];
    let mut shape = ShapeTracker::default();
    r.object(|r, key| {
        let slot = match &*key {
            "1" => 0,
            "2" => 1,
            _ => return r.skip_value(),
        };
        let v = shape.check(r.int::<u8>("privilege value"))?;
        match (v, bits.get_mut(slot)) {
            (Some(v @ (0 | 1)), Some(b @ None)) => *b = Some(v == 1),
            _ => shape.note("privilege value"),
        }
        Ok(())
    })?;
    shape.result()?;
    let [login, publish] = bits;
    Ok((login.unwrap_or(false), publish.unwrap_or(false)))
}

fn read_stream_list(r: &mut Reader<'_>) -> Result<Vec<String>, JsonError> {
    match r.peek_value() {
        Some(b'n') => r.take_null().map(|_| Vec::new()),
        Some(b'[') => {
            let mut v = Vec::new();
            let mut shape = ShapeTracker::default();
            r.array(|r| {
                if r.peek_value() == Some(b'"') {
                    v.push(r.string()?.into_owned());
                } else {
                    r.skip_value()?;
                    shape.note("stream id");
                }
                Ok(())
            })?;
            shape.result().map(|()| v)
        }
        _ => {
            r.skip_value()?;
            Err(JsonError::Shape("stream_id_list"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_form() {
        // Payload of vector gcm_build_privilege_demo (Go reference output).
        assert_eq!(
            PrivilegePayload::login_only("demo").to_json(),
            r#"{"room_id":"demo","privilege":{"1":1,"2":0},"stream_id_list":null}"#
        );
        // Payload of vector parse_go_gcm.
        assert_eq!(
            PrivilegePayload::login_and_publish("room1", ["s1"]).to_json(),
            r#"{"room_id":"room1","privilege":{"1":1,"2":1},"stream_id_list":["s1"]}"#
        );
        assert_eq!(
            PrivilegePayload::publish_only(["a\"b", "<c>"]).to_json(),
            r#"{"room_id":"","privilege":{"1":0,"2":1},"stream_id_list":["a\"b","\u003cc\u003e"]}"#
        );
        let p = PrivilegePayload::login_and_publish("r&\u{2028}", Vec::<String>::new());
        let j = p.to_json();
        assert_eq!(j.len(), p.json_len());
        assert_eq!(PrivilegePayload::from_json(&j), Some(p));
    }

    #[test]
    fn reads_other_forms() {
        // Payload of vector parse_python_gcm (Python json.dumps default separators).
        let p = PrivilegePayload::from_json(
            r#"{"room_id": "demo", "privilege": {"1": 1, "2": 1}, "stream_id_list": null}"#,
        )
        .unwrap();
        assert_eq!(
            p,
            PrivilegePayload::login_and_publish("demo", Vec::<String>::new())
        );
        // Java json-simple escapes '/'; PHP sends [] for an empty list.
        let p = PrivilegePayload::from_json(
            r#"{"stream_id_list":[],"privilege":{"2":0,"1":1},"room_id":"demo\/1","x":[1]}"#,
        )
        .unwrap();
        assert_eq!(p, PrivilegePayload::login_only("demo/1"));
    }

    #[test]
    fn refuses_bad_shapes() {
        for bad in [
            "",
            "null",
            r#"{"room_id":"a"}"#,
            r#"{"room_id":1,"privilege":{}}"#,
            r#"{"privilege":{"1":2}}"#,
            r#"{"privilege":{"1":1,"1":0}}"#,
            r#"{"privilege":{"1":true}}"#,
            r#"{"privilege":{},"privilege":{}}"#,
            r#"{"privilege":{},"stream_id_list":[1]}"#,
            r#"{"privilege":{},"stream_id_list":"a"}"#,
            r#"{"privilege":{}} x"#,
        ] {
            assert_eq!(PrivilegePayload::from_json(bad), None, "{bad}");
        }
    }
}
