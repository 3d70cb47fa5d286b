'use strict'
// The agora-token compatibility layer against npm agora-token (2.0.6), and the
// 006 one against npm agora-access-token (2.0.4), both dev-dependencies:
// every builder is called with the same arguments in both packages; each
// package's token must verify in the other (agora-token's parser and
// verifySignature; our Provider.inspect) and decode to the same content
// (salt and issue time aside, which are random and per call).

const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const ours = require('../compat')
const ours006 = require('../access-token')
const theirs = require('agora-token')
const theirs006 = require('agora-access-token')
const { AccessToken2 } = require('agora-token/src/AccessToken2')
const { AccessToken } = require('agora-access-token/src/AccessToken')
const { Provider, InvalidInputError, RtcTokensError } = require('..')

const A = '970ca35de60c44645bbae8a215061b33'
const C = '5cfd2fd1755d40ecb72977518be15d3b'
const provider = Provider.agora(A, C)

/** agora-token's own reading of a 007 token, its signature checked. */
function theirParse(token) {
  const t = new AccessToken2()
  assert.equal(t.from_string(token), true, 'agora-token parses it')
  assert.equal(t.verifySignature(C), true, 'agora-token verifies its signature')
  return {
    appId: t.appId,
    expire: t.expire,
    services: t.services.map((s) => JSON.parse(JSON.stringify(s, (k, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data).toString() : v)))),
  }
}

/** Our reading of a 007 token, its signature checked; salt and issue time dropped. */
function ourParse(token) {
  const p = provider.inspect(token)
  assert.equal(p.verification, 'verified', 'ours verifies its signature')
  const { salt, issue_ts, ...rest } = p.detail
  return rest
}

const PUB = theirs.RtcRole.PUBLISHER
const SUB = theirs.RtcRole.SUBSCRIBER

function perms(P) {
  const p = new P()
  p.add(P.kMessageChannels, P.kRead, ['chan-a', 'chan-b'])
  p.add(P.kUsers, P.kWrite, ['bob'])
  return p
}

// [name, builder path, args after (appId, certificate)]
const cases = [
  ['rtc uid publisher', 'RtcTokenBuilder.buildTokenWithUid', ['lobby', 42, PUB, 3600, 3600]],
  ['rtc uid 0 subscriber', 'RtcTokenBuilder.buildTokenWithUid', ['lobby', 0, SUB, 3600, 600]],
  ['rtc uid privilege default', 'RtcTokenBuilder.buildTokenWithUid', ['lobby', 7, PUB, 3600]],
  ['rtc uid as string', 'RtcTokenBuilder.buildTokenWithUid', ['lobby', '42', PUB, 3600, 3600]],
  ['rtc account', 'RtcTokenBuilder.buildTokenWithUserAccount', ['lobby', 'alice', PUB, 3600, 600]],
  ['rtc uid and privilege', 'RtcTokenBuilder.buildTokenWithUidAndPrivilege', ['lobby', 42, 3600, 3600, 600, 300, 0]],
  ['rtc account and privilege', 'RtcTokenBuilder.BuildTokenWithUserAccountAndPrivilege', ['lobby', 'alice', 3600, 3600, 600, 600, 600]],
  ['rtc with rtm', 'RtcTokenBuilder.buildTokenWithRtm', ['lobby', 'alice', PUB, 3600, 3600]],
  ['rtc with rtm subscriber', 'RtcTokenBuilder.buildTokenWithRtm', ['lobby', 'alice', SUB, 3600, 0]],
  ['rtc with rtm2', 'RtcTokenBuilder.buildTokenWithRtm2', ['lobby', 42, PUB, 3600, 3600, 600, 600, 600, 'rtm-user', 1800]],
  ['rtc with rtm2 account subscriber', 'RtcTokenBuilder.buildTokenWithRtm2', ['lobby', 'alice', SUB, 3600, 3600, 600, 600, 600, 'alice', 3600]],
  ['rtm', 'RtmTokenBuilder.buildToken', ['alice', 3600]],
  ['rtm2 permissions', 'RtmTokenBuilder.buildTokenWithPermissions', ['alice', 'PERMS', 3600]],
  ['chat user', 'ChatTokenBuilder.buildUserToken', ['alice', 3600]],
  ['chat app', 'ChatTokenBuilder.buildAppToken', [3600]],
  ['fpa', 'FpaTokenBuilder.buildToken', []],
  ['apaas user', 'ApaasTokenBuilder.buildUserToken', ['alice', 3600]],
  ['apaas app', 'ApaasTokenBuilder.buildAppToken', [3600]],
  ['education user', 'EducationTokenBuilder.buildUserToken', ['alice', 3600]],
  ['education app', 'EducationTokenBuilder.buildAppToken', [3600]],
  ['convoai', 'ConvoAITokenBuilder.buildToken', ['lobby', 1001, PUB, 3600, 3600, 3600, 3600, 3600, '1001', 3600]],
  ['stt', 'SttTokenBuilder.buildToken', ['lobby', 'agent', PUB, 3600, 3600, 3600, 3600, 3600, 'agent', 3600]],
]

function call(lib, path, args) {
  const [ns, fn] = path.split('.')
  const real = args.map((a) => (a === 'PERMS' ? perms(lib.Rtm2Permissions) : a))
  return lib[ns][fn](A, C, ...real)
}

test.describe('agora-token compatibility', () => {
  test.it('exports every name agora-token exports, with the same arity', () => {
    for (const name of Object.keys(theirs)) {
      assert.ok(name in ours, name)
      if (typeof theirs[name] === 'object') {
        for (const fn of Object.keys(theirs[name])) assert.equal(typeof ours[name][fn], typeof theirs[name][fn], `${name}.${fn}`)
      }
    }
    for (const cls of ['RtcTokenBuilder', 'RtmTokenBuilder', 'ChatTokenBuilder', 'FpaTokenBuilder', 'ApaasTokenBuilder', 'EducationTokenBuilder', 'ConvoAITokenBuilder', 'SttTokenBuilder']) {
      for (const fn of Object.getOwnPropertyNames(theirs[cls]).filter((f) => typeof theirs[cls][f] === 'function' && !['length', 'name', 'prototype'].includes(f))) {
        assert.equal(typeof ours[cls][fn], 'function', `${cls}.${fn}`)
        assert.equal(ours[cls][fn].length, theirs[cls][fn].length, `${cls}.${fn} arity`)
      }
    }
    assert.deepEqual({ ...ours.RtcRole }, { ...theirs.RtcRole })
    for (const k of ['kMessageChannels', 'kStreamChannels', 'kGroupChannels', 'kServerGroups', 'kUsers', 'kRead', 'kWrite']) {
      assert.equal(ours.Rtm2Permissions[k], theirs.Rtm2Permissions[k], k)
    }
  })

  for (const [name, path, args] of cases) {
    test.it(`${name}: each package's token verifies in the other and decodes the same`, () => {
      const a = call(ours, path, args)
      const b = call(theirs, path, args)
      assert.match(a, /^007/)
      // Theirs reads ours as it reads its own.
      assert.deepEqual(theirParse(a), theirParse(b))
      // Ours reads theirs as it reads its own.
      assert.deepEqual(ourParse(b), ourParse(a))
    })
  }

  // Documented differences (README): spec D1 and D6, where this crate follows
  // Agora's python3/go references rather than agora-token.
  for (const ns of ['ApaasTokenBuilder', 'EducationTokenBuilder']) {
    test.it(`${ns}.buildRoomUserToken: same services; ours grants the room-user privilege (D1)`, () => {
      const a = ourParse(ours[ns].buildRoomUserToken(A, C, 'room-1', 'alice', 1, 3600))
      const b = ourParse(theirs[ns].buildRoomUserToken(A, C, 'room-1', 'alice', 1, 3600))
      assert.deepEqual(a.services.map((s) => s.type), b.services.map((s) => s.type))
      const apaas = (p) => p.services.find((s) => s.type === 'apaas')
      const others = (p) => p.services.filter((s) => s.type !== 'apaas')
      const [ap, bp] = [apaas(a), apaas(b)]
      assert.deepEqual({ ...ap, privileges: {} }, { ...bp, privileges: {} })
      assert.deepEqual(bp.privileges, {})
      assert.deepEqual(Object.values(ap.privileges), [3600])
      assert.deepEqual(others(a), others(b))
    })
  }
  test.it('aPaaS role 0 stays 0 (agora-token writes -1, D6)', () => {
    const a = ourParse(ours.ApaasTokenBuilder.buildRoomUserToken(A, C, 'r', 'u', 0, 600))
    const b = ourParse(theirs.ApaasTokenBuilder.buildRoomUserToken(A, C, 'r', 'u', 0, 600))
    const role = (p) => p.services.find((s) => s.type === 'apaas').role
    assert.equal(role(a), 0)
    assert.equal(role(b), -1)
  })

  test.it('caps validities at 24 hours (agora-token writes what it is given)', () => {
    const a = theirParse(ours.RtcTokenBuilder.buildTokenWithUid(A, C, 'lobby', 42, PUB, 100000, 200000))
    const b = theirParse(theirs.RtcTokenBuilder.buildTokenWithUid(A, C, 'lobby', 42, PUB, 100000, 200000))
    assert.equal(a.expire, 86400)
    assert.equal(b.expire, 100000)
    assert.deepEqual(Object.values(a.services[0].__privileges), [86400, 86400, 86400, 86400])
  })

  test.it('refuses strings over 65 535 bytes', () => {
    const long = 'x'.repeat(65536)
    assert.throws(() => ours.RtmTokenBuilder.buildToken(A, C, long, 600), InvalidInputError)
    assert.throws(() => ours.RtcTokenBuilder.buildTokenWithUserAccount(A, C, long, 'alice', PUB, 600), InvalidInputError)
    assert.match(ours.RtmTokenBuilder.buildToken(A, C, 'x'.repeat(65535), 600), /^007/)
  })

  test.it('refuses a malformed app id or certificate (agora-token returns "")', () => {
    assert.equal(theirs.RtmTokenBuilder.buildToken('nope', C, 'alice', 600), '')
    assert.throws(() => ours.RtmTokenBuilder.buildToken('nope', C, 'alice', 600), (e) => e instanceof InvalidInputError && e.kind === 'invalid_input')
    assert.throws(() => ours.RtmTokenBuilder.buildToken(A, 'x', 'alice', 600), RtcTokensError)
  })

  test.it('errors never echo the certificate', () => {
    const bad = 'Z'.repeat(31) + 'q'
    try {
      ours.ChatTokenBuilder.buildAppToken(A, bad, 600)
      assert.fail('expected a throw')
    } catch (e) {
      assert.ok(!String(e.message).includes(bad))
      assert.ok(!require('node:util').inspect(e).includes(bad))
    }
  })
})

test.describe('agora-access-token (006) compatibility', () => {
  const now = Math.floor(Date.now() / 1000)

  /** The reference's reading and signature check of a 006 token. */
  function theirParse006(token, channel, uid) {
    const t = new AccessToken(A, C, channel, uid)
    assert.equal(t.fromString(token), true)
    assert.equal(token.slice(3, 35), A)
    const account = uid === 0 ? '' : `${uid}`
    const toSign = Buffer.concat([Buffer.from(A), Buffer.from(channel), Buffer.from(account), t.m])
    const expected = crypto.createHmac('sha256', C).update(toSign).digest()
    assert.ok(Buffer.compare(Buffer.from(t.signature), expected) === 0, 'signature per the reference')
    return { crc_channel_name: t.crc_channel_name, crc_uid: t.crc_uid, messages: t.messages }
  }

  const rtc = [
    ['uid publisher', 'buildTokenWithUid', 'lobby', 42, theirs006.RtcRole.PUBLISHER],
    ['uid 0 subscriber', 'buildTokenWithUid', 'lobby', 0, theirs006.RtcRole.SUBSCRIBER],
    ['account admin', 'buildTokenWithAccount', 'lobby', 'alice', theirs006.RtcRole.ADMIN],
  ]
  for (const [name, fn, channel, uid, role] of rtc) {
    test.it(`RtcTokenBuilder.${fn} (${name}) verifies both ways`, () => {
      const a = ours006.RtcTokenBuilder[fn](A, C, channel, uid, role, now + 3600)
      const b = theirs006.RtcTokenBuilder[fn](A, C, channel, uid, role, now + 3600)
      assert.deepEqual(theirParse006(a, channel, uid), theirParse006(b, channel, uid))
      const user = uid === 0 ? '' : `${uid}`
      for (const t of [a, b]) assert.equal(provider.inspect(t, { room: channel, user }).verification, 'verified')
    })
  }
  test.it('RtmTokenBuilder.buildToken verifies both ways', () => {
    const a = ours006.RtmTokenBuilder.buildToken(A, C, 'alice', theirs006.RtmRole.Rtm_User, now + 3600)
    const b = theirs006.RtmTokenBuilder.buildToken(A, C, 'alice', theirs006.RtmRole.Rtm_User, now + 3600)
    assert.deepEqual(theirParse006(a, 'alice', ''), theirParse006(b, 'alice', ''))
    for (const t of [a, b]) assert.equal(provider.inspect(t, { room: 'alice', user: '' }).verification, 'verified')
  })
  test.it('same roles as agora-access-token', () => {
    assert.deepEqual({ ...ours006.RtcRole }, { ...theirs006.RtcRole })
    assert.deepEqual({ ...ours006.RtmRole }, { ...theirs006.RtmRole })
  })
})
