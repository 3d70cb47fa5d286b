//! The 006 everyday builders (AccessToken, spec §2.4): RTC from an [`RtcSpec`], the
//! SDK-shaped `buildTokenWithUid` / `buildTokenWithAccount`, and RTM. The token's own `ts`
//! is always `now + 24 h`, as in every reference; privileges are lowered to it.

use super::{Cap, Issued, RtcSpec, TokenBuilder};
use crate::access_token::{self, AccessToken};
use crate::{Error, MAX_VALIDITY_SECS, Role};

impl TokenBuilder {
    /// A 006 RTC token as `spec` says. As in every reference, the token's own `ts` is
    /// `now + 24 h`; each privilege expires `validity` seconds from now as [`Self::rtc`]
    /// computes it (0, or beyond `ts`: at `ts`).
    ///
    /// # Errors
    /// [`Error::TooLong`]; [`Error::Random`].
    pub fn rtc006(&self, spec: &RtcSpec<'_>) -> Result<Issued, Error> {
        use access_token::Privilege as P;
        let now = self.now();
        let mut cap = Cap::token(spec.validity);
        let p = spec.expiries();
        let mut at = |v: u32| match cap.privilege(v) {
            0 => 0,
            v => now.saturating_add(v),
        };
        let all = [
            (P::JoinChannel, at(p.join)),
            (P::PublishAudioStream, at(p.publish_audio)),
            (P::PublishVideoStream, at(p.publish_video)),
            (P::PublishDataStream, at(p.publish_data)),
        ];
        let n = if spec.role.publishes() { 4 } else { 1 };
        let account = spec.principal.to_account();
        let mut issued = self.issue006(now, spec.channel, &account, all.get(..n).unwrap_or(&[]))?;
        issued.capped |= cap.capped;
        Ok(issued)
    }

    /// Packs a 006 token issued at `now`: `ts = now + 24 h`, each privilege at its absolute
    /// expiry, lowered to `ts` when 0 or beyond it.
    fn issue006(
        &self,
        now: u32,
        channel: &str,
        uid: &str,
        privileges: &[(access_token::Privilege, u32)],
    ) -> Result<Issued, Error> {
        let ts = now.saturating_add(MAX_VALIDITY_SECS);
        let mut t = AccessToken::with_salt(self.app_id.clone(), channel, uid, ts, self.salt()?);
        let mut capped = false;
        let mut expires_at = ts;
        for &(privilege, at) in privileges {
            let at = if at == 0 || at > ts {
                capped = true;
                ts
            } else {
                at
            };
            expires_at = expires_at.min(at);
            t.add_privilege(privilege, at);
        }
        Ok(Issued {
            token: t.build(&self.cert)?,
            issued_at: now,
            expires_at: u64::from(expires_at),
            validity_secs: expires_at.saturating_sub(now),
            capped,
        })
    }

    /// 006 `RtcTokenBuilder.buildTokenWithUid`, for code ported from Agora's SDKs: uid 0 is
    /// `""`; every privilege of `role` expires at the absolute `privilege_expire_ts`.
    ///
    /// # Errors
    /// [`Error::TooLong`]; [`Error::Random`].
    pub fn rtc006_with_uid(
        &self,
        channel: &str,
        uid: u32,
        role: Role,
        privilege_expire_ts: u32,
    ) -> Result<Issued, Error> {
        self.rtc006_with_account(
            channel,
            &access_token::uid_string(uid),
            role,
            privilege_expire_ts,
        )
    }

    /// 006 `RtcTokenBuilder.buildTokenWithAccount`, for code ported from Agora's SDKs: join,
    /// plus publish audio/video/data for Attendee, Publisher and Admin (python3/go/nodejs),
    /// all expiring at the absolute `privilege_expire_ts`.
    ///
    /// # Errors
    /// [`Error::TooLong`]; [`Error::Random`].
    pub fn rtc006_with_account(
        &self,
        channel: &str,
        account: &str,
        role: Role,
        privilege_expire_ts: u32,
    ) -> Result<Issued, Error> {
        // At most four privileges per role: on the stack.
        let mut privileges = [(access_token::Privilege::JoinChannel, 0); 4];
        for (slot, &p) in privileges.iter_mut().zip(role.privileges()) {
            *slot = (p, privilege_expire_ts);
        }
        let n = role.privileges().len();
        let privileges = privileges.get(..n).unwrap_or(&[]);
        self.issue006(self.now(), channel, account, privileges)
    }

    /// 006 `RtmTokenBuilder.buildToken`: channel = user account, uid = `""`, RTM login (1000)
    /// expiring at the absolute `privilege_expire_ts`.
    ///
    /// # Errors
    /// [`Error::TooLong`]; [`Error::Random`].
    pub fn rtm006(&self, user_account: &str, privilege_expire_ts: u32) -> Result<Issued, Error> {
        self.issue006(
            self.now(),
            user_account,
            "",
            &[(access_token::Privilege::RtmLogin, privilege_expire_ts)],
        )
    }
}
