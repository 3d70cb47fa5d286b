//! `Token04Builder`: ZEGO's sample `generateToken04` for one app id and server
//! secret (`zego.js` caches one per credential and puts the sample's name and
//! argument order on it).
//!
//! The token is built by `zego_token04` (via the facade's re-export), in its
//! default mode (AES-GCM, authenticated). A failure comes back as ZEGO's
//! numeric error code and message rather than a throw, so that `zego.js` can
//! throw what the sample throws.

use napi_derive::napi;
use rtc_tokens::zego_token04::{self as z, AppId, ServerSecret, UserId};

use crate::{Result, js, secret};

/// A `generateToken04` outcome: the token, or ZEGO's error code and message.
#[napi(object)]
#[derive(Debug)]
pub struct Token04Outcome {
    /// The token, on success.
    pub token: Option<String>,
    /// ZEGO's error code: 0 on success; 1 app id, 3 user id, 5 secret,
    /// 6 effective time; absent for a failure ZEGO has no code for.
    pub error_code: Option<u32>,
    /// The message (empty on success); never contains the secret.
    pub error_message: String,
    /// The facade's error kind on failure (`invalid_input`, `internal`).
    pub kind: Option<String>,
}

fn failure(e: &z::Error) -> Token04Outcome {
    let facade = rtc_tokens::Error::from(e.clone());
    Token04Outcome {
        token: None,
        error_code: e.zego_code().map(u32::from),
        error_message: e.to_string(),
        kind: Some(facade.kind().as_str().to_owned()),
    }
}

/// ZEGO token04 builder for one app id and server secret.
#[napi]
pub struct Token04Builder {
    app_id: AppId,
    secret: ServerSecret,
}

#[napi]
impl Token04Builder {
    /// A builder. The secret crosses here, once.
    ///
    /// # Errors
    ///
    /// `invalid_input` for app id 0 or a secret that is not 32 bytes.
    #[napi(constructor)]
    pub fn new(app_id: u32, server_secret: String) -> Result<Self> {
        let server_secret = secret(server_secret);
        let app_id = js(AppId::try_from(app_id).map_err(Into::into))?;
        let secret = js(ServerSecret::new(&server_secret).map_err(Into::into))?;
        Ok(Self { app_id, secret })
    }

    /// Builds a token for `user_id`, valid `effective_time_in_seconds` from
    /// now, carrying `payload` as given (`""` for an identity token).
    #[napi]
    pub fn generate(
        &self,
        user_id: String,
        effective_time_in_seconds: i64,
        payload: Option<String>,
    ) -> Token04Outcome {
        let user = match UserId::new(user_id) {
            Ok(u) => u,
            Err(e) => return failure(&e),
        };
        let request = z::TokenRequest::new(self.app_id, user)
            .effective_secs(effective_time_in_seconds)
            .payload(payload.unwrap_or_default());
        match z::build(&self.secret, &request) {
            Ok(issued) => Token04Outcome {
                token: Some(issued.token),
                error_code: Some(0),
                error_message: String::new(),
                kind: None,
            },
            Err(e) => failure(&e),
        }
    }
}
