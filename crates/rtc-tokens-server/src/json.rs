//! Request JSON without echoes: a strict object parser (duplicate keys
//! refused at any depth) and serde error messages that name the field and
//! what it expects, never the value the client sent.
//!
//! serde's own messages quote the offending value (`invalid type: string
//! "…", expected u32`) and unknown keys; everything here keeps only the
//! parts that come from our types: the field path, the expectation, and key
//! names from a list of known fields.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Parses `body` as a JSON object, refusing duplicate keys at any depth.
///
/// A duplicate key is named only when it is one of `known` (compared
/// without case when `ignore_case`); any other key name is request data and
/// is not repeated. With `ignore_case`, two keys of the object that differ
/// only in case and name a `known` field count as duplicates too.
///
/// # Errors
///
/// 400 `invalid_input`: not JSON (with the line and column), not an object,
/// or a duplicate key.
pub(crate) fn object(
    body: &[u8],
    known: &[&str],
    ignore_case: bool,
) -> Result<Map<String, Value>, ApiError> {
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(body);
    let parsed = Strict {
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    let value = match parsed {
        Ok(v) => v,
        Err(e) => {
            if let Some(key) = duplicate.into_inner() {
                return Err(duplicate_key(&key, known, ignore_case));
            }
            return Err(ApiError::invalid(syntax(&e)));
        }
    };
    let Value::Object(map) = value else {
        return Err(ApiError::invalid("request body must be a JSON object"));
    };
    if ignore_case {
        for name in known {
            if map.keys().filter(|k| k.eq_ignore_ascii_case(name)).count() > 1 {
                return Err(ApiError::invalid(format!("duplicate key {name}")));
            }
        }
    }
    Ok(map)
}

fn duplicate_key(key: &str, known: &[&str], ignore_case: bool) -> ApiError {
    let name = known.iter().find(|k| {
        if ignore_case {
            k.eq_ignore_ascii_case(key)
        } else {
            **k == key
        }
    });
    match name {
        Some(name) => ApiError::invalid(format!("duplicate key {name}")),
        None => ApiError::invalid("duplicate key in the request body"),
    }
}

/// Where the JSON is malformed, never what it holds.
fn syntax(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => "malformed JSON: unexpected end of input".to_owned(),
        _ => format!("malformed JSON at line {} column {}", e.line(), e.column()),
    }
}

/// A JSON value, with duplicate keys refused (the key is kept aside).
struct Strict<'a> {
    duplicate: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Strict {
            duplicate: self.duplicate,
        })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(key);
                return Err(de::Error::custom("duplicate key"));
            }
            let value = map.next_value_seed(Strict {
                duplicate: self.duplicate,
            })?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// Deserializes `map` into `T`; an error names the field and what it
/// expects, never the value or an unknown key.
///
/// # Errors
///
/// 400 `invalid_input`.
pub(crate) fn from_object<T: de::DeserializeOwned>(map: Map<String, Value>) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| {
        let segments: Vec<String> = e
            .path()
            .iter()
            .map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => format!("[{index}]"),
                serde_path_to_error::Segment::Map { key } => key.clone(),
                serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                serde_path_to_error::Segment::Unknown => "?".to_owned(),
            })
            .collect();
        ApiError::invalid(describe(&segments, &e.into_inner().to_string()))
    })
}

/// The message for serde's `message` at `segments` (field names from the
/// path, the last one the failing field), keeping only what our types wrote.
fn describe(segments: &[String], message: &str) -> String {
    let join = |segments: &[String]| {
        let mut out = String::new();
        for s in segments {
            if !out.is_empty() && !s.starts_with('[') {
                out.push('.');
            }
            out.push_str(s);
        }
        if out.is_empty() {
            "request".to_owned()
        } else {
            out
        }
    };
    // serde's messages are "<what was found>, expected <our expectation>":
    // the found part may quote the value, the expectation is from our types.
    let expected = message
        .rfind(", expected ")
        .and_then(|i| message.get(i + ", expected ".len()..))
        .map(friendly);
    if message.starts_with("unknown field") {
        // The path ends with the unknown key itself: request data.
        let parent = join(segments.split_last().map_or(&[][..], |(_, rest)| rest));
        return match expected {
            Some(exp) => format!("{parent}: unknown field (expected {exp})"),
            None => format!("{parent}: unknown field"),
        };
    }
    let place = join(segments);
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return format!("{place}: missing field {field}");
    }
    match expected {
        Some(exp) => format!("{place}: expected {exp}"),
        None => format!("{place}: invalid value"),
    }
}

/// serde's names of primitive types in plain words; backticks dropped.
fn friendly(expectation: &str) -> String {
    let plain = expectation.replace('`', "");
    match plain.as_str() {
        "u32" => "a whole number from 0 to 4294967295".to_owned(),
        "u64" => "a whole number from 0 to 18446744073709551615".to_owned(),
        "u16" => "a whole number from 0 to 65535".to_owned(),
        "a sequence" => "a JSON array".to_owned(),
        "a map" => "a JSON object".to_owned(),
        p if p.starts_with("struct ") => "a JSON object".to_owned(),
        _ => plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_refused_at_any_depth_and_named_only_when_known() {
        let err = |body: &str| object(body.as_bytes(), &["uid"], false).unwrap_err();
        assert_eq!(err(r#"{"uid":1,"uid":2}"#).message(), "duplicate key uid");
        let e = err(r#"{"a":{"SECRET-MARKER":1,"SECRET-MARKER":2}}"#);
        assert_eq!(e.message(), "duplicate key in the request body");
        let e = object(br#"{"UID":"1","uid":2}"#, &["uid"], true).unwrap_err();
        assert_eq!(e.message(), "duplicate key uid");
        assert!(object(br#"{"a":[{"b":1},{"b":2}]}"#, &[], false).is_ok());
        let e = err(r#"{"SECRET-MARKER" 1}"#);
        assert!(e.message().starts_with("malformed JSON at line 1"), "{e}");
        assert!(!e.message().contains("SECRET"));
        assert_eq!(err("[1]").message(), "request body must be a JSON object");
    }

    #[test]
    fn messages_keep_only_the_path_and_our_expectation() {
        let s = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            describe(
                &s(&["uid"]),
                "invalid type: string \"SECRET, expected X\", expected u32"
            ),
            "uid: expected a whole number from 0 to 4294967295"
        );
        assert_eq!(
            describe(
                &s(&["SECRET"]),
                "unknown field `SECRET`, expected one of `kind`, `uid`"
            ),
            "request: unknown field (expected one of kind, uid)"
        );
        assert_eq!(
            describe(
                &s(&["stream_ids", "[2]"]),
                "invalid type: integer `5`, expected a string"
            ),
            "stream_ids[2]: expected a string"
        );
        assert_eq!(
            describe(&s(&[]), "missing field `token`"),
            "request: missing field token"
        );
        assert_eq!(
            describe(
                &s(&["privilege_expiries"]),
                "invalid type: string \"x\", expected struct PrivilegeExpiries"
            ),
            "privilege_expiries: expected a JSON object"
        );
        assert_eq!(
            describe(&s(&["role"]), "SECRET is wrong"),
            "role: invalid value"
        );
    }
}
