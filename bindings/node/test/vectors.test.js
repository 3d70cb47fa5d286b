'use strict'
// The public conformance vectors (tests/vectors/*.json at the repository root;
// schema: docs/conformance.md) through the Node API.
//
// - parse cases: Provider.inspect with the case's certificate or secret (006
//   with the channel and uid when given), every expected field compared.
// - reject cases with a token: Provider.verify must throw, with the expected
//   kind when the case names one.
// - build cases: the Node API deliberately has no fixed-salt/IV/nonce entry
//   point (that is the Rust crates' `hazmat` feature), so a build case runs as
//   the parse of its expected token: the reference's token must verify with the
//   case's credentials and decode to the case's input.
// - Tencent (usersig) cases compare decoded documents, never token strings
//   (key order and deflate output differ between the references): the test
//   decodes each token itself (base64 variant, zlib, JSON, the binary userbuf)
//   and compares that with the case's `doc` and with the provider's `detail`.
//   A UserSig has no salt or nonce, so a build case the neutral request can
//   express (the userbuf's account is the identifier, its expiry `time +
//   expire`, account type 0) is also issued through `issue(request, time)`
//   and must decode to the expected document, signature included.
// - skipped, with the reason printed: reject cases without a token (build
//   inputs that must be refused: they need the fixed-input builders).

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const zlib = require('node:zlib')
const { Provider, insecureDecode, tencentPrivilegesOfMap, RtcTokensError } = require('..')

const dir = path.join(__dirname, '..', '..', '..', 'tests', 'vectors')
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()

/** Every key of `expected` equals the same key of `actual`, recursively. */
function assertSubset(actual, expected, where) {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: expected an object`)
    for (const k of Object.keys(expected)) assertSubset(actual[k], expected[k], `${where}.${k}`)
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array`)
    assert.equal(actual.length, expected.length, `${where}: length`)
    expected.forEach((e, i) => assertSubset(actual[i], e, `${where}[${i}]`))
  } else {
    assert.deepEqual(actual, expected, where)
  }
}

function agoraProvider(token, certificate) {
  // The app id is read from the token (unverified) only to construct the provider.
  const appId = insecureDecode(token).appId
  return Provider.agora(appId, certificate)
}

/** A parsed Agora token as the vectors write it. */
function agoraView(parsed) {
  const d = parsed.detail
  const view = { version: parsed.version, app_id: parsed.appId, signature_valid: parsed.verification === 'verified' }
  if (d.format === 'agora006') {
    Object.assign(view, {
      salt: d.salt,
      ts: d.ts,
      crc_channel_name: d.crc_channel_name,
      crc_uid: d.crc_uid,
      privileges: Object.fromEntries(d.privileges.map(([id, at]) => [String(id), at])),
    })
  } else {
    Object.assign(view, { issue_ts: d.issue_ts, expire: d.expire, salt: d.salt, services: d.services })
  }
  return view
}

function zegoView(parsed) {
  const d = parsed.detail
  return {
    mode: d.mode,
    app_id: Number(parsed.appId),
    user_id: parsed.user,
    ctime: d.ctime,
    expire: d.expire,
    nonce: d.nonce,
    payload: d.payload,
  }
}

function parseCase(c) {
  const i = c.input
  if (c.vendor === 'agora') {
    const p = agoraProvider(i.token, i.app_certificate)
    const options = i.channel_name !== undefined ? { room: i.channel_name, user: i.uid } : undefined
    assertSubset(agoraView(p.inspect(i.token, options)), c.expect, c.name)
  } else {
    const p = Provider.zego(c.expect.app_id, i.secret)
    assertSubset(zegoView(p.inspect(i.token)), c.expect, c.name)
  }
}

function buildCase(c) {
  const i = c.input
  if (c.vendor === 'agora' && c.kind === 'access_token') {
    const p = agoraProvider(c.expect.token, i.app_certificate)
    const parsed = p.inspect(c.expect.token, { room: i.channel_name, user: i.uid })
    assertSubset(agoraView(parsed), { app_id: i.app_id, salt: i.salt, ts: i.ts, privileges: i.privileges, signature_valid: true }, c.name)
  } else if (c.vendor === 'agora') {
    const p = agoraProvider(c.expect.token, i.app_certificate)
    const parsed = p.inspect(c.expect.token)
    assertSubset(agoraView(parsed), { app_id: i.app_id, issue_ts: i.issue_ts, salt: i.salt, expire: i.expire, services: packed(i.services), signature_valid: true }, c.name)
  } else {
    const p = Provider.zego(i.app_id, i.secret)
    const parsed = p.inspect(c.expect.token)
    assertSubset(zegoView(parsed), { mode: i.mode, app_id: i.app_id, user_id: i.user_id, ctime: i.ctime, expire: i.expire, nonce: i.nonce, payload: i.payload }, c.name)
  }
}

/** The format a case's kind names: a token of another fails with `version`. */
const VERSION = { access_token: '006', access_token2: '007', token04: '04' }

/** AccessToken2 service type ids: tokens carry services sorted by them. */
const SERVICE_ID = { rtc: 1, rtm: 2, streaming: 3, fpa: 4, chat: 5, fcdn: 6, apaas: 7, rtm2: 8, convoai: 9, stt: 10 }
function packed(services) {
  return services.map((s, i) => [s, i]).sort((a, b) => SERVICE_ID[a[0].type] - SERVICE_ID[b[0].type] || a[1] - b[1]).map(([s]) => s)
}

function rejectCase(c) {
  const i = c.input
  const attempt = () => {
    if (c.vendor === 'agora') {
      // A demo app id when the token's own cannot be read: the failure must come from the token.
      let appId = '0123456789abcdef0123456789abcdef'
      try {
        appId = insecureDecode(i.token).appId || appId
      } catch {}
      const options = { skipExpiry: true, version: VERSION[c.kind] }
      if (i.channel_name !== undefined) Object.assign(options, { room: i.channel_name, user: i.uid })
      Provider.agora(appId, i.app_certificate).verify(i.token, options)
    } else {
      Provider.zego(1, i.secret).verify(i.token, { skipExpiry: true, version: VERSION[c.kind] })
    }
  }
  assert.throws(attempt, (e) => {
    assert.ok(e instanceof RtcTokensError, `${c.name}: ${e}`)
    if (c.error) assert.equal(e.kind, c.error, `${c.name}: ${e.message}`)
    return true
  })
}

/** A UserSig's JSON document, decoded here, independently of the package. */
function usersigDocument(token) {
  const standard = token.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=')
  return JSON.parse(zlib.inflateSync(Buffer.from(standard, 'base64')).toString('utf8'))
}

/** A PrivateMapKey's binary userbuf (standard base64), as the schema names its fields. */
function userbufFields(b64) {
  const raw = Buffer.from(b64, 'base64')
  const version = raw.readUInt8(0)
  const length = raw.readUInt16BE(1)
  let at = 3 + length
  const u32 = () => {
    const v = raw.readUInt32BE(at)
    at += 4
    return v
  }
  const fields = { version, account: raw.subarray(3, at).toString('utf8') }
  for (const k of ['sdkappid', 'room_id', 'expire_at', 'privilege_map', 'account_type']) fields[k] = u32()
  if (version === 1) fields.room_str = raw.subarray(at + 2, at + 2 + raw.readUInt16BE(at)).toString('utf8')
  return fields
}

function tencentProvider(i) {
  return Provider.tencent(i.sdkappid, i.key)
}

/** `token` decodes to `doc`, and the provider reads the same fields. */
function checkTencent(c, token, doc, signatureValid) {
  assert.deepEqual(usersigDocument(token), doc, c.name)
  const parsed = tencentProvider(c.input).inspect(token, { version: 'usersig' })
  const detail = { ...parsed.detail }
  if (detail.private_map_key) {
    const { privileges, ...key } = detail.private_map_key
    const named = parsed.privileges.map((p) => p.name).filter((n) => !n.startsWith('privilege bits'))
    assert.deepEqual(privileges.map((n) => n.replace(/_/g, ' ')), named, c.name)
    detail.private_map_key = key
  }
  const want = { format: 'tencent_usersig', identifier: doc['TLS.identifier'], sdkappid: doc['TLS.sdkappid'], time: doc['TLS.time'], expire: doc['TLS.expire'] }
  if (doc['TLS.userbuf'] !== undefined) want.private_map_key = userbufFields(doc['TLS.userbuf'])
  assert.deepEqual(detail, want, c.name)
  assert.deepEqual([parsed.vendor, parsed.version, parsed.appId, parsed.user, parsed.issuedAt], ['tencent', 'usersig', String(doc['TLS.sdkappid']), doc['TLS.identifier'], doc['TLS.time']])
  if (signatureValid !== undefined) assert.equal(parsed.verification === 'verified', signatureValid, c.name)
}

/** The neutral request for a build case and its `now`, or null when it cannot express it. */
function tencentRequest(i) {
  const request = { userId: i.identifier, validitySecs: i.expire }
  const u = i.userbuf
  if (!u) return request
  const room = u.version === 0 ? String(u.room_id) : u.room_str
  const canonical = /^[0-9]+$/.test(room) && String(Number(room)) === room
  const fits = u.account === i.identifier && u.account_type === 0 && u.expire_at === i.time + i.expire && (u.version === 0) === canonical
  if (!fits) return null
  try {
    return { ...request, room, privileges: tencentPrivilegesOfMap(u.privilege_map) }
  } catch {
    return null
  }
}

/** Expiry not checked; the vectors' privilege maps are random, so none is required. */
const TENCENT_VERIFY = { skipExpiry: true, version: 'usersig', require: [] }

function tencentCase(c) {
  const i = c.input
  if (c.op === 'parse') {
    checkTencent(c, i.token, c.expect.doc ?? usersigDocument(i.token), c.expect.signature_valid)
  } else if (c.op === 'reject') {
    assert.throws(() => tencentProvider(i).verify(i.token, TENCENT_VERIFY), (e) => {
      assert.ok(e instanceof RtcTokensError, `${c.name}: ${e}`)
      if (c.error) assert.equal(e.kind, c.error, `${c.name}: ${e.message}`)
      return true
    })
  } else {
    const doc = c.expect.doc
    if (i.userbuf_b64 !== undefined) {
      assert.equal(doc['TLS.userbuf'], i.userbuf_b64)
      const want = Object.fromEntries(Object.entries(i.userbuf).filter(([, v]) => v !== null && v !== undefined))
      assert.deepEqual(userbufFields(i.userbuf_b64), { ...want, sdkappid: i.sdkappid })
    }
    const tokens = c.expect.token !== undefined ? [c.expect.token] : []
    const request = tencentRequest(i)
    if (request) tokens.push(tencentProvider(i).issue(request, i.time).token)
    assert.ok(tokens.length > 0, `${c.name}: nothing to check`)
    for (const token of tokens) {
      checkTencent(c, token, doc, true)
      tencentProvider(i).verify(token, TENCENT_VERIFY)
    }
  }
}

const suites = files.map((file) => [file, JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))])

test.it('most Tencent builds go through issue', () => {
  const builds = suites.flatMap(([, s]) => s.cases).filter((c) => c.vendor === 'tencent' && c.op === 'build')
  assert.ok(builds.length > 0)
  assert.ok(builds.filter((c) => tencentRequest(c.input) !== null).length * 2 >= builds.length)
})

for (const [file, suite] of suites) {
  test.describe(file, () => {
    for (const c of suite.cases) {
      let skip = false
      if (c.vendor !== 'tencent' && c.op === 'reject' && c.input.token === undefined) skip = 'a build input to refuse: needs the fixed-input (hazmat) builders, not exposed to Node'
      const run = c.vendor === 'tencent' ? tencentCase : { parse: parseCase, build: buildCase, reject: rejectCase }[c.op]
      test.it(`${c.op} ${c.name}`, { skip }, () => run(c))
    }
  })
}
