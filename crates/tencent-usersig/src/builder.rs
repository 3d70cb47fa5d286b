//! The everyday builders: the clock, Tencent's documented limits, typed privileges.
//!
//! [`UserSigBuilder::user_sig`] is the references' `genUserSig`;
//! [`UserSigBuilder::private_map_key`] is `genPrivateMapKey` (numeric room) and
//! `genPrivateMapKeyWithStringRoomID` (string room), described by a [`PrivateMapKeySpec`].
//! Unlike the references, they refuse a user id or room that breaks Tencent's documented
//! limits ([`limits`](crate::limits)) and a zero validity (`invalid_input`; a zero
//! sdkappid cannot reach them: [`SdkAppId`] refuses it), and they read the clock once, so the userbuf's expiry is exactly
//! `TLS.time + TLS.expire`.

use crate::limits::{UserId, check_room};
use crate::userbuf::{PrivateMapKey, Privileges, Room};
use crate::usersig::UserSig;
use crate::{Error, SdkAppId, SecretKey, unix_now};

/// What a builder issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The token.
    pub token: String,
    /// `TLS.time`: the issue time, unix seconds.
    pub issued_at: u64,
    /// Absolute unix time the token expires at (`TLS.time + TLS.expire`).
    pub expires_at: u64,
}

/// A PrivateMapKey request: who, which room, which privileges, for how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateMapKeySpec {
    /// The user (the token's identifier and the userbuf's account).
    pub user: UserId,
    /// The room the privileges apply to.
    pub room: Room,
    /// The granted privileges.
    pub privileges: Privileges,
    /// Validity in seconds from the issue time.
    pub validity_secs: u32,
}

impl PrivateMapKeySpec {
    /// A request for `privileges` in `room`, valid `validity_secs` seconds.
    #[must_use]
    pub const fn new(user: UserId, room: Room, privileges: Privileges, validity_secs: u32) -> Self {
        Self {
            user,
            room,
            privileges,
            validity_secs,
        }
    }
}

/// Issues UserSigs and PrivateMapKeys for one application.
#[derive(Debug, Clone)]
pub struct UserSigBuilder {
    sdkappid: SdkAppId,
    key: SecretKey,
}

impl UserSigBuilder {
    /// A builder for the application `sdkappid` with its secret key.
    #[must_use]
    pub const fn new(sdkappid: SdkAppId, key: SecretKey) -> Self {
        Self { sdkappid, key }
    }

    /// The application this builder issues for.
    #[must_use]
    pub const fn sdkappid(&self) -> SdkAppId {
        self.sdkappid
    }

    /// A UserSig for `user`, valid `validity_secs` seconds from now.
    ///
    /// # Errors
    /// [`Error::InvalidValidity`] for a zero validity.
    pub fn user_sig(&self, user: &UserId, validity_secs: u32) -> Result<Issued, Error> {
        self.user_sig_at(unix_now(), user, validity_secs)
    }

    /// A PrivateMapKey: a UserSig whose userbuf grants `spec.privileges` in `spec.room`.
    ///
    /// # Errors
    /// [`Error::InvalidRoom`] for a room beyond Tencent's limits; [`Error::InvalidValidity`]
    /// for a zero validity, or an expiry beyond the userbuf's 32 bits.
    pub fn private_map_key(&self, spec: &PrivateMapKeySpec) -> Result<Issued, Error> {
        self.private_map_key_at(unix_now(), spec)
    }

    /// [`Self::user_sig`] as of `now` (unix seconds) instead of the system clock, for a
    /// caller that keeps its own clock (a token service issuing "as of" a request time).
    /// The issue time is written into the token as given.
    ///
    /// # Errors
    /// As [`Self::user_sig`].
    pub fn user_sig_at(
        &self,
        now: u64,
        user: &UserId,
        validity_secs: u32,
    ) -> Result<Issued, Error> {
        Self::check(validity_secs)?;
        let doc = UserSig::new(
            user.as_str(),
            self.sdkappid.get(),
            now,
            u64::from(validity_secs),
        );
        self.issue(&doc)
    }

    /// [`Self::private_map_key`] as of `now` (unix seconds) instead of the system clock.
    ///
    /// # Errors
    /// As [`Self::private_map_key`].
    pub fn private_map_key_at(&self, now: u64, spec: &PrivateMapKeySpec) -> Result<Issued, Error> {
        Self::check(spec.validity_secs)?;
        check_room(&spec.room)?;
        let expire_at = now
            .checked_add(u64::from(spec.validity_secs))
            .and_then(|t| u32::try_from(t).ok())
            .ok_or(Error::InvalidValidity(
                "the expiry does not fit the userbuf's 32 bits",
            ))?;
        let userbuf = PrivateMapKey {
            account: spec.user.as_str().to_owned(),
            sdkappid: self.sdkappid.get(),
            room: spec.room.clone(),
            expire_at,
            privileges: spec.privileges,
            account_type: 0,
        };
        let doc = UserSig::new(
            spec.user.as_str(),
            self.sdkappid.get(),
            now,
            u64::from(spec.validity_secs),
        )
        .with_private_map_key(&userbuf)?;
        self.issue(&doc)
    }

    fn check(validity_secs: u32) -> Result<(), Error> {
        if validity_secs == 0 {
            return Err(Error::InvalidValidity("must be at least 1 second"));
        }
        Ok(())
    }

    fn issue(&self, doc: &UserSig) -> Result<Issued, Error> {
        Ok(Issued {
            token: doc.to_token(&self.key)?,
            issued_at: doc.time,
            expires_at: doc.time.saturating_add(doc.expire),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorKind, ParsedUserSig, Privilege};

    const APP: SdkAppId = match SdkAppId::new(1_400_000_000) {
        Ok(id) => id,
        Err(_) => panic!("a non-zero sdkappid"),
    };

    fn builder() -> UserSigBuilder {
        UserSigBuilder::new(APP, SecretKey::new("demo-key").unwrap())
    }

    #[test]
    fn a_user_sig_round_trips() {
        let b = builder();
        let user = UserId::new("alice").unwrap();
        let issued = b.user_sig_at(1_700_000_000, &user, 600).unwrap();
        assert_eq!(
            (issued.issued_at, issued.expires_at),
            (1_700_000_000, 1_700_000_600)
        );
        let p = ParsedUserSig::parse(&issued.token).unwrap();
        assert_eq!(p.identifier, "alice");
        assert!(p.private_map_key.is_none());
        p.verify(&SecretKey::new("demo-key").unwrap(), APP, 1_700_000_599)
            .unwrap();
        assert!(b.user_sig(&user, 60).is_ok());
    }

    #[test]
    fn a_private_map_key_expires_with_its_token() {
        let spec = PrivateMapKeySpec::new(
            UserId::new("bob").unwrap(),
            Room::Str("room-1".into()),
            Privileges::NONE | Privilege::EnterRoom | Privilege::ReceiveAudio,
            300,
        );
        let issued = builder().private_map_key_at(1_700_000_000, &spec).unwrap();
        let p = ParsedUserSig::parse(&issued.token).unwrap();
        let k = p.private_map_key.unwrap();
        assert_eq!(u64::from(k.expire_at), issued.expires_at);
        assert_eq!((k.account.as_str(), &k.room), ("bob", &spec.room));
        assert_eq!(k.privileges.bits(), 10);
    }

    #[test]
    fn the_limits_apply() {
        let b = builder();
        let user = UserId::new("bob").unwrap();
        let spec =
            |room, validity| PrivateMapKeySpec::new(user.clone(), room, Privileges::ALL, validity);
        for bad in [
            spec(Room::Numeric(0), 60),
            spec(Room::Str("a/b".into()), 60),
            spec(Room::Numeric(1), 0),
        ] {
            let e = b.private_map_key_at(1_700_000_000, &bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
        }
        let late = b.private_map_key_at(u64::from(u32::MAX), &spec(Room::Numeric(1), 60));
        assert!(late.is_err());
    }
}
