'use strict'
// ZEGO's sample signature: generateToken04 returns the token string and throws
// what the sample throws (an object with errorCode and errorMessage).

const test = require('node:test')
const assert = require('node:assert/strict')
const { generateToken04, ErrorCode, ZegoTokenError } = require('../zego')
const { Provider, RtcTokensError } = require('..')

const SECRET = 'fa94dd0f974cf2e293728a526b028271'

test.it('returns a token04 string that verifies with the neutral API', () => {
  const payload = JSON.stringify({ room_id: 'demo', privilege: { 1: 1, 2: 0 }, stream_id_list: null })
  const token = generateToken04(1, 'demo', SECRET, 3600, payload)
  assert.equal(typeof token, 'string')
  assert.match(token, /^04/)
  const parsed = Provider.zego(1, SECRET).verify(token, { room: 'demo', user: 'demo' })
  assert.equal(parsed.detail.payload, payload)
  assert.equal(parsed.expiresAt - parsed.issuedAt, 3600)
  assert.deepEqual(parsed.privileges.map((p) => p.name), ['log in to room demo'])
})

test.it('an identity token without payload', () => {
  const parsed = Provider.zego(7, SECRET).verify(generateToken04(7, 'alice', SECRET, 60))
  assert.equal(parsed.user, 'alice')
  assert.equal(parsed.detail.payload, '')
})

const failures = [
  ['app id 0', [0, 'u', SECRET, 60], 1, 'appID invalid'],
  ['app id as a string', ['1', 'u', SECRET, 60], 1, 'appID invalid'],
  ['empty user id', [1, '', SECRET, 60], 3, 'userId invalid'],
  ['user id not a string', [1, 5, SECRET, 60], 3, 'userId invalid'],
  ['short secret', [1, 'u', SECRET.slice(1), 60], 5, 'secret must be a 32 byte string'],
  ['32 characters, more bytes', [1, 'u', 'é'.repeat(32), 60], 5, 'secret must be a 32 byte string'],
  ['no effective time', [1, 'u', SECRET, 0], 6, 'effectiveTimeInSeconds invalid'],
  ['negative effective time', [1, 'u', SECRET, -5], 6, null],
  ['user id over 64 characters', [1, 'u'.repeat(65), SECRET, 60], 3, null],
]
for (const [name, args, code, message] of failures) {
  test.it(`throws the sample's error object: ${name}`, () => {
    assert.throws(() => generateToken04(...args), (e) => {
      assert.equal(e.errorCode, code)
      assert.equal(typeof e.errorMessage, 'string')
      if (message) assert.equal(e.errorMessage, message)
      // What the sample's callers see, and more: an Error with a kind.
      assert.deepEqual(Object.keys(e).sort(), ['errorCode', 'errorMessage'])
      assert.deepEqual(JSON.parse(JSON.stringify(e)), { errorCode: code, errorMessage: e.errorMessage })
      assert.ok(e instanceof ZegoTokenError && e instanceof RtcTokensError && e instanceof Error)
      assert.equal(e.kind, 'invalid_input')
      assert.ok(!e.errorMessage.includes(SECRET))
      return true
    })
  })
}

test.it('error codes are ZEGO\'s', () => {
  assert.deepEqual({ ...ErrorCode }, { success: 0, appIDInvalid: 1, userIDInvalid: 3, secretInvalid: 5, effectiveTimeInSecondsInvalid: 6 })
})
