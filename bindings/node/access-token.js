'use strict'
// Drop-in for npm `agora-access-token` (2.x, AccessToken 006): RtcTokenBuilder
// and RtmTokenBuilder with its names and argument order; `privilegeExpiredTs`
// is an absolute unix time (0 = 24 hours). Tokens are built by the Rust crate
// agora-dynamic-key, which lowers a privilege expiry beyond the token's own
// 24-hour `ts` to it (the reference writes it as given).

const native = require('./native.js')
const { wrap, invalidInput } = require('./errors.js')
const { BuilderCache } = require('./cache.js')

const builders = new BuilderCache((appId, cert) => wrap(() => new native.AgoraBuilder(appId, cert)))
const constants = native.agoraConstants()

function ts(v) {
  if (v === undefined || v === null) return 0
  if (typeof v !== 'number' || !(v >= 0)) throw invalidInput('privilegeExpiredTs: expected a non-negative unix time')
  return v > 0xffffffff ? 0xffffffff : Math.floor(v)
}

const RtcRole = Object.freeze({
  ATTENDEE: constants.attendee,
  PUBLISHER: constants.publisher,
  SUBSCRIBER: constants.subscriber,
  ADMIN: constants.admin,
})

const RtcTokenBuilder = {
  buildTokenWithUid(appID, appCertificate, channelName, uid, role, privilegeExpiredTs) {
    const b = builders.get(appID, appCertificate)
    const t = ts(privilegeExpiredTs)
    if (typeof uid === 'number' && Number.isInteger(uid) && uid >= 0 && uid <= 0xffffffff) {
      return wrap(() => b.rtc006Uid(channelName, uid, +role, t))
    }
    return wrap(() => b.rtc006Account(channelName, `${uid}`, +role, t))
  },
  buildTokenWithAccount(appID, appCertificate, channelName, account, role, privilegeExpiredTs) {
    const b = builders.get(appID, appCertificate)
    return wrap(() => b.rtc006Account(channelName, `${account}`, +role, ts(privilegeExpiredTs)))
  },
}

const RtmRole = Object.freeze({ Rtm_User: 1 })

const RtmTokenBuilder = {
  buildToken(appID, appCertificate, account, role, privilegeExpiredTs) {
    const b = builders.get(appID, appCertificate)
    return wrap(() => b.rtm006(`${account}`, ts(privilegeExpiredTs)))
  },
}

module.exports = { RtcRole, RtcTokenBuilder, RtmRole, RtmTokenBuilder }
