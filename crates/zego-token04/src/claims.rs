//! The decrypted claims and how their JSON is read.

use std::borrow::Cow;

use crate::json::{self, JsonError, Reader, ShapeTracker};
use crate::{Error, Mode, PrivilegePayload};

/// The contents of a decrypted token04.
///
/// Only produced by [`parse`](crate::parse) and [`verify`](crate::verify),
/// i.e. after decryption succeeded (and, for GCM, after the tag was checked).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Claims {
    /// The encryption mode the token used.
    pub mode: Mode,
    /// The app id (`app_id`).
    pub app_id: u32,
    /// The user id (`user_id`).
    pub user_id: String,
    /// Creation time, unix seconds (`ctime`).
    pub ctime: i64,
    /// Expiry time, unix seconds (`expire`); equal to the header's copy.
    pub expire: i64,
    /// The random JSON nonce (`nonce`; unrelated to the GCM nonce).
    pub nonce: i32,
    /// The payload string (`payload`; `""` when it was empty, `null` or absent).
    pub payload: String,
}

impl Claims {
    /// The payload read as a [`PrivilegePayload`], if it has that shape.
    #[must_use]
    pub fn privilege(&self) -> Option<PrivilegePayload> {
        PrivilegePayload::from_json(&self.payload)
    }

    /// Checks the expiry against `now_unix` (unix seconds).
    ///
    /// # Errors
    /// [`Error::Expired`] if `now_unix >= expire`.
    pub const fn check_expiry(&self, now_unix: i64) -> Result<(), Error> {
        if now_unix >= self.expire {
            Err(Error::Expired)
        } else {
            Ok(())
        }
    }
}

/// Bit flags for the claim keys, used to spot duplicates and missing keys.
const APP_ID: u8 = 1;
const USER_ID: u8 = 2;
const CTIME: u8 = 4;
const EXPIRE: u8 = 8;
const NONCE: u8 = 16;
const PAYLOAD: u8 = 32;

/// Reads the claims JSON: any valid JSON object, any key order and escaping,
/// unknown keys ignored; duplicate keys, wrong types and missing required
/// keys are shape errors.
pub(crate) fn read(text: &str, mode: Mode) -> Result<Claims, JsonError> {
    let mut members = Members {
        claims: Claims {
            mode,
            app_id: 0,
            user_id: String::new(),
            ctime: 0,
            expire: 0,
            nonce: 0,
            payload: String::new(),
        },
        seen: 0,
        unknown: Vec::new(),
    };
    let mut shape = ShapeTracker::default();
    json::read_object(text, &mut shape, |r, key, shape| {
        members.member(r, key, shape)
    })?;
    match members.missing() {
        Some(why) => Err(JsonError::Shape(why)),
        None => Ok(members.claims),
    }
}

/// The claims read so far, and which keys were met.
struct Members<'a> {
    claims: Claims,
    /// Known keys met, as bit flags.
    seen: u8,
    /// Unknown keys met, to spot their duplicates.
    unknown: Vec<Cow<'a, str>>,
}

impl<'a> Members<'a> {
    /// Reads one member; `r` must consume exactly its value.
    fn member(
        &mut self,
        r: &mut Reader<'a>,
        key: Cow<'a, str>,
        shape: &mut ShapeTracker,
    ) -> Result<(), JsonError> {
        let bit = match &*key {
            "app_id" => APP_ID,
            "user_id" => USER_ID,
            "ctime" => CTIME,
            "expire" => EXPIRE,
            "nonce" => NONCE,
            "payload" => PAYLOAD,
            _ => {
                if self.unknown.contains(&key) {
                    shape.note("duplicate key");
                } else {
                    self.unknown.push(key);
                }
                return r.skip_value();
            }
        };
        if self.seen & bit != 0 {
            shape.note("duplicate key");
        }
        self.seen |= bit;
        self.value(bit, r, shape)
    }

    /// Reads the value of the known key `bit` into the claims.
    fn value(
        &mut self,
        bit: u8,
        r: &mut Reader<'_>,
        shape: &mut ShapeTracker,
    ) -> Result<(), JsonError> {
        let c = &mut self.claims;
        match bit {
            APP_ID => {
                if let Some(v) = shape.check(r.int::<u32>("app_id is not a u32 integer"))? {
                    c.app_id = v;
                }
            }
            CTIME => {
                if let Some(v) = shape.check(r.int::<i64>("ctime is not an i64 integer"))? {
                    c.ctime = v;
                }
            }
            EXPIRE => {
                if let Some(v) = shape.check(r.int::<i64>("expire is not an i64 integer"))? {
                    c.expire = v;
                }
            }
            NONCE => {
                if let Some(v) = shape.check(r.int::<i32>("nonce is not an i32 integer"))? {
                    c.nonce = v;
                }
            }
            USER_ID => {
                if let Some(v) = shape.check(string(r, "user_id is not a string"))? {
                    c.user_id = v;
                }
            }
            _ => {
                if r.take_null()? {
                    c.payload = String::new();
                } else if let Some(v) = shape.check(string(r, "payload is not a string"))? {
                    c.payload = v;
                }
            }
        }
        Ok(())
    }

    /// The first required key not met, as a shape error message.
    const fn missing(&self) -> Option<&'static str> {
        let seen = self.seen;
        match APP_ID | USER_ID | CTIME | EXPIRE | NONCE {
            all if seen & all == all => None,
            _ if seen & APP_ID == 0 => Some("missing app_id"),
            _ if seen & USER_ID == 0 => Some("missing user_id"),
            _ if seen & CTIME == 0 => Some("missing ctime"),
            _ if seen & EXPIRE == 0 => Some("missing expire"),
            _ => Some("missing nonce"),
        }
    }
}

fn string(r: &mut Reader<'_>, what: &'static str) -> Result<String, JsonError> {
    if r.peek_value() == Some(b'"') {
        Ok(r.string()?.into_owned())
    } else {
        r.skip_value()?;
        Err(JsonError::Shape(what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Claims {
        read(text, Mode::Gcm).unwrap()
    }

    #[test]
    fn reads_every_reference_order() {
        // Decrypted plaintext of vector parse_node_gcm (Node key order, negative nonce).
        let c = ok(
            r#"{"app_id":1,"user_id":"demo","nonce":-527530870,"ctime":1716000100,"expire":1716003700,"payload":"{\"room_id\":\"demo\",\"privilege\":{\"1\":1,\"2\":0},\"stream_id_list\":null}"}"#,
        );
        assert_eq!(c.nonce, -527_530_870);
        assert_eq!(c.expire, 1_716_003_700);
        assert_eq!(c.privilege(), Some(PrivilegePayload::login_only("demo")));
        // Java json-simple order and escaping.
        let c = ok(
            r#"{"user_id":"a\/b\u20AC","payload":null,"expire":20,"ctime":10,"app_id":4294967295,"nonce":-2147483648}"#,
        );
        assert_eq!(c.user_id, "a/b€");
        assert_eq!(c.payload, "");
        assert_eq!(c.app_id, u32::MAX);
        // Payload absent, whitespace, unknown keys.
        let c = ok(
            " {\n\"app_id\" : 1 , \"user_id\":\"\\ud83d\\ude00\",\"ctime\":1,\"expire\":2,\"nonce\":0,\"x\":{\"y\":[]}}\t",
        );
        assert_eq!(c.user_id, "😀");
        assert_eq!(c.payload, "");
    }

    #[test]
    fn shape_and_syntax_errors() {
        let base = r#""user_id":"u","ctime":1,"expire":2,"nonce":3"#;
        let shape = |extra: &str| read(&format!("{{{base},{extra}}}"), Mode::Gcm).unwrap_err();
        assert!(matches!(shape(r#""app_id":1.0"#), JsonError::Shape(_)));
        assert!(matches!(shape(r#""app_id":"1""#), JsonError::Shape(_)));
        assert!(matches!(
            shape(r#""app_id":4294967296"#),
            JsonError::Shape(_)
        ));
        assert!(matches!(shape(r#""app_id":-1"#), JsonError::Shape(_)));
        assert!(matches!(
            shape(r#""app_id":1,"app_id":1"#),
            JsonError::Shape(_)
        ));
        assert!(matches!(
            shape(r#""app_id":1,"x":1,"x":2"#),
            JsonError::Shape(_)
        ));
        assert!(matches!(
            shape(r#""app_id":1,"payload":5"#),
            JsonError::Shape(_)
        ));
        assert!(matches!(
            shape(r#""app_id":1,"nonce":2147483648"#),
            JsonError::Shape(_)
        ));
        assert!(matches!(
            shape(r#""x":1"#),
            JsonError::Shape("missing app_id")
        ));
        // Syntax wins over an earlier shape error.
        assert_eq!(shape(r#""app_id":1.5,"x":01"#), JsonError::Syntax);
        assert_eq!(
            read(&format!("{{\"app_id\":1,{base}}}x"), Mode::Gcm).unwrap_err(),
            JsonError::Syntax
        );
        assert!(matches!(
            read("[]", Mode::Gcm).unwrap_err(),
            JsonError::Shape(_)
        ));
        assert_eq!(read("", Mode::Gcm).unwrap_err(), JsonError::Syntax);
    }

    #[test]
    fn expiry() {
        let c = ok(r#"{"app_id":1,"user_id":"u","ctime":1,"expire":100,"nonce":0}"#);
        assert_eq!(c.check_expiry(99), Ok(()));
        assert_eq!(c.check_expiry(100), Err(Error::Expired));
    }
}
