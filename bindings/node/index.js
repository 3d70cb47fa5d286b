'use strict'
// @rtc-tokens/node: ZEGOCLOUD token04, Agora AccessToken 006/007 and Tencent
// TRTC UserSig/PrivateMapKey, issued,
// verified and inspected by the rtc-tokens Rust crates through one neutral API.
// This file only wraps the native classes so that errors come out as
// RtcTokensError subclasses; every token rule runs in Rust.

const native = require('./native.js')
const errors = require('./errors.js')

const { wrap, u32 } = errors

/** Options whose numbers N-API would otherwise wrap. */
function checked(options) {
  if (options && typeof options === 'object') u32(options.renewBeforeSecs, 'renewBeforeSecs', { optional: true })
  return options
}

class Provider {
  #n
  /** @internal Use Provider.agora, Provider.zego, Provider.tencent or Provider.demo. */
  constructor(n) {
    this.#n = n
  }
  static agora(appId, certificate, options) {
    return new Provider(wrap(() => native.Provider.agora(appId, certificate, checked(options))))
  }
  static zego(appId, serverSecret, options) {
    u32(appId, 'app id', { min: 1 })
    return new Provider(wrap(() => native.Provider.zego(appId, serverSecret, checked(options))))
  }
  static tencent(sdkAppId, secretKey, options) {
    u32(sdkAppId, 'sdk app id')
    return new Provider(wrap(() => native.Provider.tencent(sdkAppId, secretKey, checked(options))))
  }
  static demo(vendor) {
    return new Provider(wrap(() => native.Provider.demo(vendor)))
  }
  get vendor() {
    return this.#n.vendor
  }
  get appId() {
    return this.#n.appId
  }
  issue(request, now) {
    return wrap(() => this.#n.issue(request, u32(now, 'now', { optional: true })))
  }
  verify(token, options) {
    return JSON.parse(wrap(() => this.#n.verify(token, options)))
  }
  inspect(token, options) {
    return JSON.parse(wrap(() => this.#n.inspect(token, options)))
  }
  /** @internal */
  static native(p) {
    return p.#n
  }
}

class Providers {
  #n
  /** @internal Use Providers.load, Providers.fromEnv or Providers.of. */
  constructor(n) {
    this.#n = n
  }
  static load(options) {
    return new Providers(wrap(() => native.Providers.load(options)))
  }
  static fromEnv() {
    return Providers.load({ env: true })
  }
  static fromTomlFile(path, options) {
    return Providers.load({ env: false, ...options, file: path })
  }
  static of(providers, defaultVendor) {
    const list = providers.map((p) => Provider.native(p))
    return new Providers(wrap(() => native.Providers.of(list, defaultVendor)))
  }
  get vendors() {
    return this.#n.vendors
  }
  get defaultVendor() {
    return this.#n.defaultVendor ?? null
  }
  get warnings() {
    return this.#n.warnings
  }
  get(vendor) {
    return new Provider(wrap(() => this.#n.get(vendor)))
  }
  issue(request, vendor, now) {
    return wrap(() => this.#n.issue(request, vendor, u32(now, 'now', { optional: true })))
  }
  verify(token, options) {
    return JSON.parse(wrap(() => this.#n.verify(token, options)))
  }
  inspect(token, options) {
    return JSON.parse(wrap(() => this.#n.inspect(token, options)))
  }
}

function insecureDecode(token) {
  return JSON.parse(wrap(() => native.insecureDecode(token)))
}

function tencentPrivilegesOfMap(map) {
  return wrap(() => native.tencentPrivilegesOfMap(u32(map, 'privilege map')))
}

module.exports = {
  Provider,
  Providers,
  insecureDecode,
  tencentPrivilegesOfMap,
  RtcTokensError: errors.RtcTokensError,
  InvalidInputError: errors.InvalidInputError,
  MalformedError: errors.MalformedError,
  VersionError: errors.VersionError,
  SignatureError: errors.SignatureError,
  DecryptError: errors.DecryptError,
  ExpiredError: errors.ExpiredError,
  MismatchError: errors.MismatchError,
  InternalError: errors.InternalError,
  errorClasses: errors.errorClasses,
}
