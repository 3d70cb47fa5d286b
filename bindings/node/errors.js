'use strict'
// Error classes: one per facade error kind, under RtcTokensError. The native
// addon throws plain Errors whose `code` is `kind` or `kind:vendor`; `wrap`
// turns them into these classes. Messages are the facade's: they never contain
// a secret or a token.

class RtcTokensError extends Error {
  constructor(message, kind, vendor) {
    super(message)
    /** The facade's error kind (`invalid_input`, `malformed`, …). */
    this.kind = kind
    /** The vendor the error concerns, or null. */
    this.vendor = vendor ?? null
  }
}

// `name` lives on each prototype, so it is not an own (enumerable) field.
Object.defineProperty(RtcTokensError.prototype, 'name', { value: 'RtcTokensError', configurable: true })

const KINDS = {
  invalid_input: 'InvalidInputError',
  malformed: 'MalformedError',
  version: 'VersionError',
  signature: 'SignatureError',
  decrypt: 'DecryptError',
  expired: 'ExpiredError',
  mismatch: 'MismatchError',
  internal: 'InternalError',
}

const classes = {}
for (const [kind, name] of Object.entries(KINDS)) {
  // A named class per kind, so `instanceof` and `err.name` both work.
  classes[kind] = {
    [name]: class extends RtcTokensError {
      constructor(message, vendor) {
        super(message, kind, vendor)
      }
    },
  }[name]
  Object.defineProperty(classes[kind].prototype, 'name', { value: name, configurable: true })
}

/** N-API's argument-conversion failures (a string where a number goes…). */
const NAPI_ARGUMENT_CODES = new Set(['InvalidArg', 'ObjectExpected', 'StringExpected', 'NumberExpected', 'BooleanExpected', 'ArrayExpected', 'FunctionExpected', 'BigintExpected'])

/** The error class for a native error, or the error itself when it is not ours. */
function translate(e) {
  if (!(e instanceof Error) || typeof e.code !== 'string' || e instanceof RtcTokensError) return e
  // N-API names the type, never a string's content.
  if (NAPI_ARGUMENT_CODES.has(e.code)) return new classes.invalid_input(e.message, null)
  const [kind, vendor] = e.code.split(':')
  const Class = classes[kind]
  return Class ? new Class(e.message, vendor) : e
}

/** A native call whose errors come out as RtcTokensError subclasses. */
function wrap(fn) {
  try {
    return fn()
  } catch (e) {
    throw translate(e)
  }
}

/** An invalid_input error raised by the JavaScript layer (argument shapes only). */
function invalidInput(message) {
  return new classes.invalid_input(message, null)
}

/**
 * `v` as an unsigned 32-bit integer (N-API would wrap -1 to 4294967295), or
 * undefined when absent and `optional`.
 */
function u32(v, name, { min = 0, optional = false } = {}) {
  if (optional && (v === undefined || v === null)) return undefined
  if (!Number.isInteger(v) || v < min || v > 0xffffffff) {
    throw invalidInput(`${name}: expected an integer from ${min} to 4294967295`)
  }
  return v
}

module.exports = {
  RtcTokensError,
  InvalidInputError: classes.invalid_input,
  MalformedError: classes.malformed,
  VersionError: classes.version,
  SignatureError: classes.signature,
  DecryptError: classes.decrypt,
  ExpiredError: classes.expired,
  MismatchError: classes.mismatch,
  InternalError: classes.internal,
  errorClasses: classes,
  translate,
  wrap,
  invalidInput,
  u32,
}
