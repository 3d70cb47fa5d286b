'use strict'
// ZEGO's Node sample (zego_server_assistant, token/nodejs): the same
// `generateToken04(appId, userId, secret, effectiveTimeInSeconds, payload?)`
// returning the token string, and throwing, like the sample, an object whose
// `errorCode` and `errorMessage` are ZEGO's (1 app id, 3 user id, 5 secret,
// 6 effective time). Ours is also an Error (a ZegoTokenError, an
// InvalidInputError's sibling under RtcTokensError, with `kind`), and
// JSON.stringify shows exactly the sample's two fields.
// The token is built by the Rust crate zego-token04 in its default mode,
// AES-GCM (authenticated; the sample writes CBC; ZEGO accepts both).

const native = require('./native.js')
const { RtcTokensError } = require('./errors.js')
const { BuilderCache } = require('./cache.js')

class ZegoTokenError extends RtcTokensError {
  constructor(errorCode, errorMessage, kind) {
    super(errorMessage, kind || 'invalid_input', 'zego')
    this.errorCode = errorCode
    this.errorMessage = errorMessage
    // Only the sample's fields are enumerable (JSON.stringify, spread).
    Object.defineProperty(this, 'kind', { enumerable: false })
    Object.defineProperty(this, 'vendor', { enumerable: false })
  }
}

Object.defineProperty(ZegoTokenError.prototype, 'name', { value: 'ZegoTokenError', configurable: true })

const ErrorCode = Object.freeze({
  success: 0,
  appIDInvalid: 1,
  userIDInvalid: 3,
  secretInvalid: 5,
  effectiveTimeInSecondsInvalid: 6,
})

const builders = new BuilderCache((appId, secret) => {
  try {
    return new native.Token04Builder(appId, secret)
  } catch (e) {
    // App id 0 was refused above; what remains is the secret's length in bytes.
    throw new ZegoTokenError(ErrorCode.secretInvalid, 'secret must be a 32 byte string')
  }
})

function generateToken04(appId, userId, secret, effectiveTimeInSeconds, payload) {
  // The sample's checks, in its order and with its messages.
  if (!appId || typeof appId !== 'number' || !Number.isInteger(appId) || appId < 0 || appId > 0xffffffff) {
    throw new ZegoTokenError(ErrorCode.appIDInvalid, 'appID invalid')
  }
  if (!userId || typeof userId !== 'string') {
    throw new ZegoTokenError(ErrorCode.userIDInvalid, 'userId invalid')
  }
  if (!secret || typeof secret !== 'string' || secret.length !== 32) {
    throw new ZegoTokenError(ErrorCode.secretInvalid, 'secret must be a 32 byte string')
  }
  if (!effectiveTimeInSeconds || typeof effectiveTimeInSeconds !== 'number' || !Number.isSafeInteger(effectiveTimeInSeconds)) {
    throw new ZegoTokenError(ErrorCode.effectiveTimeInSecondsInvalid, 'effectiveTimeInSeconds invalid')
  }
  const out = builders.get(appId, secret).generate(userId, effectiveTimeInSeconds, payload || '')
  if (out.token !== undefined && out.token !== null) return out.token
  throw new ZegoTokenError(out.errorCode ?? -1, out.errorMessage, out.kind)
}

module.exports = { generateToken04, ErrorCode, ZegoTokenError }
