'use strict'
// Drop-in for npm `agora-token` (2.x): the same exports, names and argument
// order, so that changing the `require` is the whole migration. Tokens are
// built by the rtc-tokens Rust crate (agora-dynamic-key): which privileges
// each builder grants and how services are laid out is decided there; this
// file only converts arguments the way agora-token does (uid 0 is "", a
// number becomes its decimal) and keeps one native builder per credential.
// Differences (README): validities are capped at 24 hours, strings over
// 65 535 bytes and malformed app ids or certificates throw an
// InvalidInputError instead of yielding a broken token or "".

const native = require('./native.js')
const { wrap, invalidInput } = require('./errors.js')
const { BuilderCache } = require('./cache.js')

const builders = new BuilderCache((appId, cert) => wrap(() => new native.AgoraBuilder(appId, cert)))
const constants = native.agoraConstants()

/** The native builder for this credential (created on first use). */
function builder(appId, appCertificate) {
  return builders.get(appId, appCertificate)
}

/** A validity or expiry in seconds: a non-negative number (missing = 0). */
function secs(v, name) {
  if (v === undefined || v === null) return 0
  if (typeof v !== 'number' || !(v >= 0)) throw invalidInput(`${name}: expected a non-negative number of seconds`)
  return v > 0xffffffff ? 0xffffffff : Math.floor(v)
}

/** Whether `uid` is a numeric uid the wire carries as such (0 = any user). */
function isUid(uid) {
  return typeof uid === 'number' && Number.isInteger(uid) && uid >= 0 && uid <= 0xffffffff
}

/** An RTC account as agora-token writes it: 0 is "", anything else its text. */
function rtcAccount(uid) {
  return uid === 0 ? '' : `${uid}`
}

/** A user id as agora-token's RTM and Chat services take it (falsy is ""). */
function userId(id) {
  return id ? `${id}` : ''
}

/** A role as a number for Rust, which decides what it grants ("1" is 1, as agora-token's `==` reads it). */
function roleNum(role) {
  const r = +role
  return Number.isInteger(r) && r >= 0 && r <= 0xffffffff ? r : 0xffffffff
}

function rtc(appId, appCertificate, channelName, uid, role, tokenExpire, join, audio, video, data) {
  const b = builder(appId, appCertificate)
  const t = secs(tokenExpire, 'tokenExpire')
  const r = roleNum(role)
  const account = isUid(uid) ? null : rtcAccount(uid)
  return wrap(() => b.rtcRtm(native.RtcRtmKind.Rtc, channelName, account === null ? uid : 0, account, r, t, join, audio, video, data, '', 0))
}

const PUBLISHER = constants.publisher

const RtcRole = Object.freeze({ PUBLISHER: constants.publisher, SUBSCRIBER: constants.subscriber })

function rtcRtm(kind, appId, appCertificate, channelName, rtcUser, rtcRole, rtcTokenExpire, join, audio, video, data, rtmUserId, rtmTokenExpire) {
  const b = builder(appId, appCertificate)
  const uid = isUid(rtcUser) ? rtcUser : 0
  const account = isUid(rtcUser) ? null : rtcAccount(rtcUser)
  const args = [
    secs(rtcTokenExpire, 'rtcTokenExpire'),
    secs(join, 'joinChannelPrivilegeExpire'),
    secs(audio, 'pubAudioPrivilegeExpire'),
    secs(video, 'pubVideoPrivilegeExpire'),
    secs(data, 'pubDataStreamPrivilegeExpire'),
  ]
  return wrap(() => b.rtcRtm(kind, channelName, uid, account, roleNum(rtcRole), ...args, userId(rtmUserId), secs(rtmTokenExpire, 'rtmTokenExpire')))
}

const RtcTokenBuilder = {
  buildTokenWithUid(appId, appCertificate, channelName, uid, role, tokenExpire, privilegeExpire = 0) {
    const p = secs(privilegeExpire, 'privilegeExpire')
    return rtc(appId, appCertificate, channelName, uid, role, tokenExpire, p, p, p, p)
  },
  buildTokenWithUserAccount(appId, appCertificate, channelName, account, role, tokenExpire, privilegeExpire = 0) {
    const p = secs(privilegeExpire, 'privilegeExpire')
    return rtc(appId, appCertificate, channelName, account, role, tokenExpire, p, p, p, p)
  },
  buildTokenWithUidAndPrivilege(appId, appCertificate, channelName, uid, tokenExpire, join, audio, video, data) {
    return rtc(
      appId, appCertificate, channelName, uid, PUBLISHER, tokenExpire,
      secs(join, 'joinChannelPrivilegeExpire'), secs(audio, 'pubAudioPrivilegeExpire'),
      secs(video, 'pubVideoPrivilegeExpire'), secs(data, 'pubDataStreamPrivilegeExpire'),
    )
  },
  BuildTokenWithUserAccountAndPrivilege(appId, appCertificate, channelName, account, tokenExpire, join, audio, video, data) {
    return RtcTokenBuilder.buildTokenWithUidAndPrivilege(appId, appCertificate, channelName, account, tokenExpire, join, audio, video, data)
  },
  buildTokenWithRtm(appId, appCertificate, channelName, account, role, tokenExpire, privilegeExpire = 0) {
    const b = builder(appId, appCertificate)
    const t = secs(tokenExpire, 'tokenExpire')
    const p = secs(privilegeExpire, 'privilegeExpire')
    return wrap(() => b.rtcWithRtm(channelName, rtcAccount(account), roleNum(role), t, p))
  },
  buildTokenWithRtm2(appId, appCertificate, channelName, rtcAccount_, rtcRole, rtcTokenExpire, join, audio, video, data, rtmUserId, rtmTokenExpire) {
    return rtcRtm(native.RtcRtmKind.Rtm, appId, appCertificate, channelName, rtcAccount_, rtcRole, rtcTokenExpire, join, audio, video, data, rtmUserId, rtmTokenExpire)
  },
}
// agora-token spells this one with a capital B; the usual spelling works too.
RtcTokenBuilder.buildTokenWithUserAccountAndPrivilege = RtcTokenBuilder.BuildTokenWithUserAccountAndPrivilege

class Rtm2Permissions {
  constructor() {
    this.details = {}
  }
  add(resourceType, permissionType, resources) {
    if (!this.details[resourceType]) this.details[resourceType] = {}
    this.details[resourceType][permissionType] = Array.from(resources)
  }
}
;[
  ['kMessageChannels', constants.resourceTypes[0]],
  ['kStreamChannels', constants.resourceTypes[1]],
  ['kGroupChannels', constants.resourceTypes[2]],
  ['kServerGroups', constants.resourceTypes[3]],
  ['kUsers', constants.resourceTypes[4]],
  ['kRead', constants.permissionTypes[0]],
  ['kWrite', constants.permissionTypes[1]],
].forEach(([name, value]) => Object.defineProperty(Rtm2Permissions, name, { value, enumerable: true }))

function permissionEntries(permissions) {
  const entries = []
  const details = (permissions && permissions.details) || {}
  for (const resource of Object.keys(details)) {
    for (const permission of Object.keys(details[resource])) {
      entries.push({ resource: Number(resource), permission: Number(permission), resources: Array.from(details[resource][permission], String) })
    }
  }
  return entries
}

const RtmTokenBuilder = {
  buildToken(appId, appCertificate, userId_, expire) {
    const b = builder(appId, appCertificate)
    return wrap(() => b.rtm(userId(userId_), secs(expire, 'expire')))
  },
  buildTokenWithPermissions(appId, appCertificate, userId_, permissions, expire) {
    const b = builder(appId, appCertificate)
    const user = userId_ === 0 || userId_ == null ? '' : String(userId_)
    return wrap(() => b.rtmWithPermissions(user, permissionEntries(permissions), secs(expire, 'expire')))
  },
}

const ChatTokenBuilder = {
  buildUserToken(appId, appCertificate, userId_, expire) {
    const b = builder(appId, appCertificate)
    return wrap(() => b.chatUser(userId(userId_), secs(expire, 'expire')))
  },
  buildAppToken(appId, appCertificate, expire) {
    const b = builder(appId, appCertificate)
    return wrap(() => b.chatApp(secs(expire, 'expire')))
  },
}

const FpaTokenBuilder = {
  buildToken(appId, appCertificate) {
    const b = builder(appId, appCertificate)
    return wrap(() => b.fpa())
  },
}

function apaasRole(role) {
  if (role === undefined || role === null) return undefined
  if (!Number.isInteger(role)) throw invalidInput('role: expected an integer')
  return role
}

const ApaasTokenBuilder = {
  buildRoomUserToken(appId, appCertificate, roomUuid, userUuid, role, expire) {
    const b = builder(appId, appCertificate)
    return wrap(() => b.apaasRoomUser(userId(roomUuid), userId(userUuid), apaasRole(role), secs(expire, 'expire')))
  },
  buildUserToken(appId, appCertificate, userUuid, expire) {
    const b = builder(appId, appCertificate)
    return wrap(() => b.apaasUser(userId(userUuid), secs(expire, 'expire')))
  },
  buildAppToken(appId, appCertificate, expire) {
    const b = builder(appId, appCertificate)
    return wrap(() => b.apaasApp(secs(expire, 'expire')))
  },
}

// Flexible Classroom's builders are aPaaS's (same services, same privileges).
const EducationTokenBuilder = { ...ApaasTokenBuilder }

const ConvoAITokenBuilder = {
  buildToken(appId, appCertificate, channelName, rtcAccount_, rtcRole, rtcTokenExpire, join, audio, video, data, rtmUserId, rtmTokenExpire) {
    return rtcRtm(native.RtcRtmKind.ConvoAi, appId, appCertificate, channelName, rtcAccount_, rtcRole, rtcTokenExpire, join, audio, video, data, rtmUserId, rtmTokenExpire)
  },
}

const SttTokenBuilder = {
  buildToken(appId, appCertificate, channelName, rtcAccount_, rtcRole, rtcTokenExpire, join, audio, video, data, rtmUserId, rtmTokenExpire) {
    return rtcRtm(native.RtcRtmKind.Stt, appId, appCertificate, channelName, rtcAccount_, rtcRole, rtcTokenExpire, join, audio, video, data, rtmUserId, rtmTokenExpire)
  },
}

module.exports = {
  ApaasTokenBuilder,
  ChatTokenBuilder,
  ConvoAITokenBuilder,
  EducationTokenBuilder,
  FpaTokenBuilder,
  RtcRole,
  RtcTokenBuilder,
  RtmTokenBuilder,
  Rtm2Permissions,
  SttTokenBuilder,
}
