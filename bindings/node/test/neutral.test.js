'use strict'
// The neutral API: providers from arguments, the environment and TOML (the
// facade's loader), issue/verify/inspect for each vendor, error classes per
// kind, and secrets that never show.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const util = require('node:util')
const { execFileSync } = require('node:child_process')
const rt = require('..')
const { Provider, Providers, insecureDecode, RtcTokensError, errorClasses } = rt

const AGORA_ID = '970ca35de60c44645bbae8a215061b33'
const AGORA_CERT = '5cfd2fd1755d40ecb72977518be15d3b'
const ZEGO_ID = 1234567890
const ZEGO_SECRET = 'fa94dd0f974cf2e293728a526b028271'

const agora = Provider.agora(AGORA_ID, AGORA_CERT)
const zego = Provider.zego(ZEGO_ID, ZEGO_SECRET)

test.describe('issue, verify, inspect', () => {
  for (const p of [agora, zego, Provider.agora(AGORA_ID, AGORA_CERT, { version: '006' }), Provider.zego(ZEGO_ID, ZEGO_SECRET, { mode: 'cbc' })]) {
    test.it(`${p.vendor}: a token verifies for its room and user`, () => {
      const issued = p.issue({ userId: 'alice', room: 'lobby', validitySecs: 600 })
      assert.equal(issued.vendor, p.vendor)
      assert.equal(issued.expiresAt - issued.issuedAt, 600)
      assert.ok(issued.renewAt < issued.expiresAt)
      const parsed = p.verify(issued.token, { room: 'lobby', user: 'alice', appId: p.appId })
      assert.equal(parsed.user, 'alice')
      assert.equal(parsed.room, 'lobby')
      assert.equal(parsed.version, issued.version)
      assert.ok(parsed.privileges.length >= 1)
      assert.ok(['verified', 'decrypted_unauthenticated'].includes(parsed.verification))
    })
  }

  test.it('a fixed clock gives a fixed expiry, checked against `now`', () => {
    const issued = agora.issue({ uid: 42, room: 'lobby', validitySecs: 60 }, 1_700_000_000)
    assert.equal(issued.issuedAt, 1_700_000_000)
    assert.equal(agora.verify(issued.token, { now: 1_700_000_030 }).expiresAt, 1_700_000_060)
    assert.throws(() => agora.verify(issued.token, { now: 1_700_000_060 }), rt.ExpiredError)
    assert.throws(() => agora.verify(issued.token), rt.ExpiredError)
    assert.equal(agora.verify(issued.token, { skipExpiry: true }).user, '42')
  })

  test.it('every Agora kind issues, with camelCase requests', () => {
    for (const kind of ['rtc', 'rtm', 'rtc_rtm', 'chat', 'chat_app', 'convoai', 'stt']) {
      const req = kind === 'chat_app' ? { kind } : { kind, userId: 'alice', room: 'lobby' }
      if (kind === 'rtm' || kind === 'chat') delete req.room
      const issued = agora.issue({ ...req, privilegeExpiries: kind === 'rtc' ? { publishAudio: 60 } : undefined })
      assert.equal(agora.verify(issued.token).version, '007', kind)
    }
  })

  test.it('ZEGO stream ids land in the payload', () => {
    const issued = zego.issue({ userId: 'bob', room: 'r1', streamIds: ['s1', 's2'] })
    const parsed = zego.verify(issued.token)
    assert.equal(parsed.detail.format, 'zego04')
    assert.deepEqual(JSON.parse(parsed.detail.payload).stream_id_list, ['s1', 's2'])
  })

  test.it('inspect reports a bad signature; verify throws SignatureError', () => {
    const other = Provider.agora(AGORA_ID, 'ffffffffffffffffffffffffffffffff')
    const token = other.issue({ userId: 'alice', room: 'lobby' }).token
    assert.equal(agora.inspect(token).verification, 'signature_invalid')
    assert.throws(() => agora.verify(token), (e) => e instanceof rt.SignatureError && e.kind === 'signature' && e.vendor === 'agora')
  })

  test.it('insecureDecode reads without credentials and says so', () => {
    const z = insecureDecode(zego.issue({ userId: 'u', room: 'r' }).token)
    assert.equal(z.verification, 'not_checked')
    assert.equal(z.detail.format, 'zego04_sealed')
    assert.equal(insecureDecode(agora.issue({ userId: 'u', room: 'r' }).token).appId, AGORA_ID)
  })
})

const TENCENT_ID = 1400000001
const TENCENT_KEY = 'f4bb043bf9d7ea80f8b49cceb79c33b5da6610acba1dd1749f389c26ecc78cff'

test.describe('tencent', () => {
  const tencent = Provider.tencent(TENCENT_ID, TENCENT_KEY, { renewBeforeSecs: 60 })

  test.it('a plain UserSig without a room, a PrivateMapKey with one', () => {
    assert.deepEqual([tencent.vendor, tencent.appId], ['tencent', String(TENCENT_ID)])
    const plain = tencent.issue({ userId: 'alice', validitySecs: 600 }, 1_700_000_000)
    assert.deepEqual([plain.vendor, plain.version, plain.renewAt], ['tencent', 'usersig', 1_700_000_540])
    const parsed = tencent.verify(plain.token, { user: 'alice', now: 1_700_000_000 })
    assert.deepEqual([parsed.user, parsed.room, parsed.detail.format], ['alice', null, 'tencent_usersig'])
    assert.equal(parsed.detail.private_map_key, undefined)
    const granted = rt.tencentPrivilegesOfMap(2 | 8)
    assert.deepEqual(granted, ['join_channel', 'subscribe_audio'])
    const key = tencent.issue({ userId: 'alice', room: '1234', privileges: granted })
    const k = tencent.verify(key.token, { room: '1234', require: ['subscribe_audio'] })
    assert.deepEqual([k.detail.private_map_key.privilege_map, k.detail.private_map_key.room_id], [10, 1234])
    assert.deepEqual(k.detail.private_map_key.privileges, ['enter_room', 'receive_audio'])
    assert.throws(() => tencent.verify(key.token, { require: ['publish_audio'] }), rt.MismatchError)
    assert.equal(insecureDecode(key.token).verification, 'not_checked')
  })

  test.it('refusals keep their kind; the key never shows', () => {
    const token = tencent.issue({ userId: 'alice', room: 'lobby' }).token
    assert.equal(Provider.tencent(TENCENT_ID, '0'.repeat(64)).inspect(token).verification, 'signature_invalid')
    assert.throws(() => Provider.tencent(TENCENT_ID, '0'.repeat(64)).verify(token), (e) => e instanceof rt.SignatureError && e.vendor === 'tencent')
    assert.throws(() => Provider.tencent(TENCENT_ID + 1, TENCENT_KEY).verify(token), rt.MismatchError)
    assert.throws(() => tencent.issue({ userId: 'alice', room: 'lobby', privileges: ['rtm_login'] }), rt.InvalidInputError)
    assert.throws(() => tencent.issue({ uid: 7, room: 'lobby' }), rt.InvalidInputError)
    assert.throws(() => rt.tencentPrivilegesOfMap(256), rt.InvalidInputError)
    assert.throws(() => rt.tencentPrivilegesOfMap(-1), rt.InvalidInputError)
    assert.throws(() => Provider.tencent(TENCENT_ID, ''), rt.InvalidInputError)
    assert.throws(() => Provider.tencent(0, TENCENT_KEY), (e) => e instanceof rt.InvalidInputError && /sdkappid/.test(e.message))
    assert.throws(() => Provider.tencent(-1, TENCENT_KEY), rt.InvalidInputError)
    assert.throws(() => Provider.tencent(TENCENT_ID, 1234), rt.InvalidInputError)
    const shown = [util.inspect(tencent, { showHidden: true, depth: 5 }), JSON.stringify(tencent), JSON.stringify(tencent.verify(token))].join('\n')
    assert.ok(!shown.includes(TENCENT_KEY))
  })

  test.it('Providers.load reads the Tencent settings and dispatches a UserSig by its shape', () => {
    const toml = `[tencent]\nsdk_app_id = ${TENCENT_ID}\nsecret_key = "${TENCENT_KEY}"\n[agora]\napp_id = "${AGORA_ID}"\napp_certificate = "${AGORA_CERT}"\n`
    const ps = Providers.load({ toml, env: false })
    assert.deepEqual(ps.vendors.sort(), ['agora', 'tencent'])
    const t = ps.issue({ userId: 'alice', room: 'lobby' }, 'trtc')
    assert.equal(ps.verify(t.token).vendor, 'tencent')
    assert.equal(ps.get('tencent').appId, String(TENCENT_ID))
  })
})

test.describe('errors', () => {
  const cases = [
    ['invalid_input', () => agora.issue({ userId: 'a', room: 'r', validitySecs: 0 })],
    ['invalid_input', () => agora.issue({ usrId: 'a' })],
    ['invalid_input', () => agora.verify('007x', { rooom: 'r' })],
    ['invalid_input', () => zego.issue({ uid: 5, room: 'r' })],
    ['malformed', () => agora.verify('007eJxTYBBY')],
    ['version', () => agora.verify('123')],
    ['version', () => agora.verify(zego.issue({ userId: 'u', room: 'r' }).token, { version: '007' })],
    ['decrypt', () => Provider.zego(ZEGO_ID, 'f'.repeat(32)).verify(zego.issue({ userId: 'u', room: 'r' }).token)],
    ['mismatch', () => zego.verify(zego.issue({ userId: 'u', room: 'r' }).token, { room: 'other' })],
    ['mismatch', () => agora.verify(agora.issue({ kind: 'rtm', userId: 'u' }).token, { require: ['join_channel'] })],
  ]
  for (const [kind, fn] of cases) {
    test.it(`${kind}: ${fn.toString().slice(6, 70)}`, () => {
      assert.throws(fn, (e) => {
        assert.ok(e instanceof RtcTokensError, String(e))
        assert.ok(e instanceof errorClasses[kind], `${e.name}: ${e.message}`)
        assert.equal(e.kind, kind)
        assert.equal(e.name, errorClasses[kind].name)
        assert.ok(e.stack.includes(e.name))
        return true
      })
    })
  }
  test.it('one class per kind, all under RtcTokensError', () => {
    assert.deepEqual(Object.keys(errorClasses).sort(), ['decrypt', 'expired', 'internal', 'invalid_input', 'malformed', 'mismatch', 'signature', 'version'])
    for (const C of Object.values(errorClasses)) assert.ok(C.prototype instanceof RtcTokensError)
  })
})

test.describe('configuration through the facade loader', () => {
  test.it('Providers.load reads TOML, with the secret from a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rtc-tokens-node-'))
    try {
      const secretFile = path.join(dir, 'agora.cert')
      fs.writeFileSync(secretFile, AGORA_CERT + '\n', { mode: 0o600 })
      const toml = `default_vendor = "zego"\n[agora]\napp_id = "${AGORA_ID}"\napp_certificate_file = "agora.cert"\n[zego]\napp_id = ${ZEGO_ID}\nserver_secret = "${ZEGO_SECRET}"\n`
      const ps = Providers.load({ toml, baseDir: dir, env: false })
      assert.deepEqual(ps.vendors.sort(), ['agora', 'zego'])
      assert.equal(ps.defaultVendor, 'zego')
      const z = ps.issue({ userId: 'alice', room: 'lobby' })
      assert.equal(z.vendor, 'zego')
      const a = ps.issue({ userId: 'alice', room: 'lobby' }, 'agora')
      assert.equal(ps.verify(a.token).vendor, 'agora')
      assert.equal(ps.verify(z.token).vendor, 'zego')
      assert.equal(ps.get('agora').appId, AGORA_ID)
      const file = path.join(dir, 'rtc.toml')
      fs.writeFileSync(file, toml)
      assert.deepEqual(Providers.fromTomlFile(file).vendors.sort(), ['agora', 'zego'])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test.it('Providers.fromEnv reads the environment (in a child process)', () => {
    const script = `const {Providers}=require(${JSON.stringify(path.join(__dirname, '..'))});const p=Providers.fromEnv();console.log(JSON.stringify([p.vendors,p.defaultVendor,p.verify(p.issue({userId:'a',room:'r'}).token).vendor]))`
    const env = { PATH: process.env.PATH, AGORA_APP_ID: AGORA_ID, AGORA_APP_CERTIFICATE: AGORA_CERT }
    const out = execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' })
    assert.deepEqual(JSON.parse(out), [['agora'], 'agora', 'agora'])
  })

  test.it('an empty configuration says what to set, without a value', () => {
    assert.throws(() => Providers.load({ env: false }), (e) => e instanceof rt.InvalidInputError && /AGORA_APP_ID/.test(e.message))
    assert.throws(() => Providers.load({ toml: `[agora]\napp_id = "${AGORA_ID}"\napp_certificate = "xyz-not-hex"\n`, env: false }), (e) => {
      assert.ok(!e.message.includes('xyz-not-hex'))
      return e instanceof rt.InvalidInputError
    })
  })

  test.it('Providers.of with a default vendor', () => {
    const ps = Providers.of([agora, zego], 'agora')
    assert.equal(ps.issue({ userId: 'a', room: 'r' }).vendor, 'agora')
    assert.throws(() => Providers.of([zego], 'agora'), rt.InvalidInputError)
  })
})

test.describe('secrets', () => {
  test.it('nothing shows a secret: providers, errors, results', () => {
    const shown = [
      util.inspect(agora, { showHidden: true, depth: 5 }),
      util.inspect(zego, { showHidden: true, depth: 5 }),
      JSON.stringify(agora),
      JSON.stringify(zego),
      JSON.stringify(agora.verify(agora.issue({ userId: 'a', room: 'r' }).token)),
      JSON.stringify(zego.verify(zego.issue({ userId: 'a', room: 'r' }).token)),
      util.inspect(Providers.of([agora, zego]), { showHidden: true, depth: 5 }),
    ].join('\n')
    assert.ok(!shown.includes(AGORA_CERT))
    assert.ok(!shown.includes(ZEGO_SECRET))
  })
  test.it('a bad secret is not echoed', () => {
    const bad = 'not-a-secret-but-still-private-0'
    for (const fn of [() => Provider.agora(AGORA_ID, bad), () => Provider.zego(1, bad + 'x')]) {
      assert.throws(fn, (e) => !e.message.includes(bad) && !util.inspect(e).includes(bad))
    }
  })
})

test.describe('types', () => {
  test.it('index.d.ts names every vendor and kind the facade knows', () => {
    const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
    const union = (name) => [...dts.match(new RegExp(`export type ${name} =([^\\n]*)`))[1].matchAll(/'([^']+)'/g)].map((m) => m[1]).sort()
    const names = require('../native.js').names()
    assert.deepEqual(union('Vendor'), [...names.vendors].sort())
    assert.deepEqual(union('TokenKind'), [...names.kinds].sort())
  })
  test.it('index.d.ts names only versions and privileges the facade reads', () => {
    const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
    const union = (name) => [...dts.match(new RegExp(`export type ${name} =((?:\\s*\\|?\\s*'[^']+')+)`))[1].matchAll(/'([^']+)'/g)].map((m) => m[1])
    const privileges = union('Privilege')
    assert.ok(privileges.includes('subscribe_screen') && privileges.length === 12)
    const versions = union('TokenVersion')
    assert.deepEqual(versions, ['04', '006', '007', 'usersig'])
    const token = Provider.demo('tencent').issue({ userId: 'u', room: 'r' }).token
    // Another vendor's version is read, then refused for a UserSig (an unknown name would be invalid_input).
    for (const version of versions.filter((v) => v !== 'usersig')) {
      assert.throws(() => Provider.demo('tencent').inspect(token, { version }), rt.VersionError)
    }
    const parsed = Provider.demo('tencent').verify(token, { version: 'usersig', require: privileges.filter((p) => !['publish_data', 'rtm_login', 'chat_user', 'chat_app'].includes(p)) })
    assert.equal(parsed.version, 'usersig')
  })
})

test.describe('argument checks', () => {
  test.it('numbers N-API would wrap are refused, and type errors are InvalidInputErrors', () => {
    assert.throws(() => Provider.zego(-1, ZEGO_SECRET), rt.InvalidInputError)
    assert.throws(() => Provider.zego(2 ** 32, ZEGO_SECRET), rt.InvalidInputError)
    assert.throws(() => Provider.zego('1', ZEGO_SECRET), rt.InvalidInputError)
    assert.throws(() => agora.issue({ userId: 'a', room: 'r' }, -5), rt.InvalidInputError)
    assert.throws(() => Provider.agora(AGORA_ID, AGORA_CERT, { renewBeforeSecs: -1 }), rt.InvalidInputError)
    assert.throws(() => Provider.agora(AGORA_ID, 12345), rt.InvalidInputError)
    assert.throws(() => agora.verify(42), rt.InvalidInputError)
  })
  test.it('a secret or token in the wrong place is not echoed', () => {
    for (const fn of [() => agora.issue(AGORA_CERT), () => agora.issue({ kind: AGORA_CERT }), () => agora.verify('007x', { version: AGORA_CERT }), () => agora.issue({ role: AGORA_CERT })]) {
      assert.throws(fn, (e) => e instanceof rt.InvalidInputError && !e.message.includes(AGORA_CERT))
    }
  })
})
