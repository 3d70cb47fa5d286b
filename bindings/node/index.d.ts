// Types of @rtc-tokens/node's neutral API (index.js). Checked by `tsc --noEmit`
// in the test run (test/types.ts).

/** A token vendor. */
export type Vendor = 'zego' | 'agora' | 'tencent'
/** A token format, as its prefix reads (a Tencent UserSig has none: `usersig`). */
export type TokenVersion = '04' | '006' | '007' | 'usersig'
/** What a token is for. */
export type TokenKind = 'rtc' | 'rtm' | 'rtc_rtm' | 'chat' | 'chat_app' | 'convoai' | 'stt'
/** The user's role (Agora's host/broadcaster are publishers, audience a subscriber). */
export type Role = 'publisher' | 'subscriber' | 'host' | 'broadcaster' | 'audience'
/** A privilege `verify` can require, and (Tencent) `TokenRequest.privileges` grants. */
export type Privilege =
  | 'join_channel'
  | 'publish_audio'
  | 'publish_video'
  | 'publish_data'
  | 'rtm_login'
  | 'chat_user'
  | 'chat_app'
  | 'create_room'
  | 'subscribe_audio'
  | 'subscribe_video'
  | 'publish_screen'
  | 'subscribe_screen'
/** How far a token's integrity was checked. */
export type Verification = 'verified' | 'decrypted_unauthenticated' | 'signature_invalid' | 'not_checked'
/** The category of a failure. */
export type ErrorKind =
  | 'invalid_input'
  | 'malformed'
  | 'version'
  | 'signature'
  | 'decrypt'
  | 'expired'
  | 'mismatch'
  | 'internal'

/** Agora 007 per-privilege validities, seconds from issue (missing: as long as the token). */
export interface PrivilegeExpiries {
  join?: number
  publishAudio?: number
  publishVideo?: number
  publishData?: number
}

/**
 * A vendor-neutral token request. A field the chosen vendor cannot express is
 * refused with an InvalidInputError naming it; unknown keys are refused too.
 */
export interface TokenRequest {
  /** Default `rtc`. */
  kind?: TokenKind
  /** ZEGO user id; Agora account or RTM/Chat user id; Tencent identifier (required). */
  userId?: string
  /** Agora's numeric uid (0 = any user). */
  uid?: number
  /** The room (ZEGO), channel (Agora) or room (Tencent: makes the token a PrivateMapKey). */
  room?: string
  /** Alias of `room`. */
  channel?: string
  /** Default `publisher`. */
  role?: Role
  /** Seconds, default 3600; at least 1; Agora caps it at 86 400. */
  validitySecs?: number
  /** ZEGO: the stream ids the user may publish (empty = any). */
  streamIds?: string[]
  /** Agora 007 only. */
  privilegeExpiries?: PrivilegeExpiries
  /** Tencent only (with a room): exactly these room privileges instead of the role's. */
  privileges?: Privilege[]
}

/** A token as issued. */
export interface IssuedToken {
  token: string
  vendor: Vendor
  version: TokenVersion
  /** Unix seconds. */
  issuedAt: number
  /** The expiry actually applied, unix seconds (Agora's capped at 24 hours). */
  expiresAt: number
  /** When the client should fetch a new token, unix seconds. */
  renewAt: number
}

/** One privilege of a parsed token, in plain words. */
export interface PrivilegeView {
  /** `rtc`, `rtm`, `chat`, … */
  service: string
  /** `join channel`, `publish audio`, … */
  name: string
  /** Unix seconds, when the format says. */
  expiresAt?: number
}

/** ZEGO token04 decrypted with its secret. */
export interface Zego04Detail {
  format: 'zego04'
  mode: 'gcm' | 'cbc'
  ctime: number
  expire: number
  nonce: number
  payload: string
}
/** ZEGO token04 read without its secret (insecureDecode): only the clear header. */
export interface Zego04SealedDetail {
  format: 'zego04_sealed'
  mode: 'gcm' | 'cbc'
  expire: number
}
/** Agora AccessToken 006. */
export interface Agora006Detail {
  format: 'agora006'
  salt: number
  ts: number
  crc_channel_name: number
  crc_uid: number
  /** [privilege id, expiry timestamp] pairs. */
  privileges: Array<[number, number]>
}
/** One service of an Agora 007 token, as the facade's JSON writes it. */
export interface Agora007Service {
  /** `rtc`, `rtm`, `streaming`, `fpa`, `chat`, `fcdn`, `apaas`, `rtm2`, `convoai`, `stt`. */
  type: string
  /** Privilege id (decimal) → seconds from issue. */
  privileges: Record<string, number>
  channel_name?: string
  uid?: string
  user_id?: string
  account?: string
  room_uuid?: string
  user_uuid?: string
  role?: number
  permissions?: Record<string, Record<string, string[]>>
}
/** Agora AccessToken2 007. */
export interface Agora007Detail {
  format: 'agora007'
  salt: number
  issue_ts: number
  expire: number
  services: Agora007Service[]
  /** Set when parsing stopped at a service type this version does not know. */
  unknown_service_type?: number
}
/** A Tencent PrivateMapKey's userbuf, field for field. */
export interface TencentPrivateMapKey {
  /** 0: numeric room (`room_id`), 1: string room (`room_str`). */
  version: number
  account: string
  sdkappid: number
  room_id: number
  room_str?: string
  /** Unix seconds. */
  expire_at: number
  /** TRTC's privilege bits (1 create room, 2 enter room, 4 send audio, …). */
  privilege_map: number
  /** The bits' names (`create_room`, `enter_room`, `send_audio`, …). */
  privileges: string[]
  account_type: number
}
/** Tencent UserSig (TLS sig v2); a PrivateMapKey when it carries a userbuf. */
export interface TencentUsersigDetail {
  format: 'tencent_usersig'
  identifier: string
  sdkappid: number
  /** Issue time, unix seconds. */
  time: number
  /** Validity, seconds from `time`. */
  expire: number
  private_map_key?: TencentPrivateMapKey
}
/** The vendor's own view of a token: the facade's JSON shape, keys as the server writes them. */
export type VendorDetail = Zego04Detail | Zego04SealedDetail | Agora006Detail | Agora007Detail | TencentUsersigDetail

/** The vendor-neutral view of a parsed token. */
export interface ParsedToken {
  vendor: Vendor
  version: TokenVersion
  /** Absent when it cannot be read (a ZEGO token without its secret). */
  appId?: string
  user: string | null
  room: string | null
  /** Absent for 006, which does not carry it. */
  issuedAt: number | null
  expiresAt: number
  privileges: PrivilegeView[]
  verification: Verification
  detail: VendorDetail
}

/** What `verify` and `inspect` expect of a token. Unknown keys are refused. */
export interface VerifyOptions {
  /** Check expiry against this unix time instead of the clock. */
  now?: number
  /** Do not check expiry. */
  skipExpiry?: boolean
  /** The app id the token must be for (ZEGO and Tencent: decimal). */
  appId?: string
  /** The room or channel the token must be for (006: needed to verify). */
  room?: string
  /** Alias of `room`. */
  channel?: string
  /** The user the token must be for: ZEGO user id, Agora uid as text ("" for 0) or account (006: needed to verify). */
  user?: string
  /** Alias of `user`. */
  uid?: string
  /** Accept only this format. */
  version?: TokenVersion
  /** Required privileges instead of what the token needs to be usable ([] = none). */
  require?: Privilege[]
}

export interface AgoraOptions {
  /** `"007"` (default) or `"006"`. */
  version?: '006' | '007' | '6' | '7'
  /** Seconds before expiry at which clients should renew (default 30). */
  renewBeforeSecs?: number
}

export interface TencentOptions {
  /** Seconds before expiry at which clients should renew (default 30). */
  renewBeforeSecs?: number
}

export interface ZegoOptions {
  /** `"gcm"` (default) or `"cbc"`. */
  mode?: 'gcm' | 'cbc'
  /** Seconds before expiry at which clients should renew (default 30). */
  renewBeforeSecs?: number
}

/** Where `Providers.load` reads its configuration (the CLI's and server's settings). */
export interface LoadOptions {
  /** A TOML file. */
  file?: string
  /** TOML text. */
  toml?: string
  /** Where relative secret-file paths in `toml` are read from. */
  baseDir?: string
  /** Read the process environment over the TOML (default true). */
  env?: boolean
}

/** One vendor's provider. Secrets cross to Rust once, here, and are zeroized there. */
export declare class Provider {
  private constructor()
  /** @throws InvalidInputError for an app id or certificate that is not 32 hex characters. */
  static agora(appId: string, certificate: string, options?: AgoraOptions): Provider
  /** @throws InvalidInputError for app id 0 or a secret that is not 32 bytes. */
  static zego(appId: number, serverSecret: string, options?: ZegoOptions): Provider
  /** @throws InvalidInputError for an empty secret key or one over 1024 bytes. */
  static tencent(sdkAppId: number, secretKey: string, options?: TencentOptions): Provider
  /** Clearly fake demo credentials, for examples only. */
  static demo(vendor: Vendor): Provider
  readonly vendor: Vendor
  readonly appId: string
  /** @throws InvalidInputError naming the field the vendor cannot express; InternalError. */
  issue(request: TokenRequest, now?: number): IssuedToken
  /** @throws VersionError, MalformedError, DecryptError, SignatureError, MismatchError, ExpiredError, InvalidInputError. */
  verify(token: string, options?: VerifyOptions): ParsedToken
  /** Decodes and reports `verification` without failing on a bad signature or an expiry. */
  inspect(token: string, options?: VerifyOptions): ParsedToken
}

/** Providers, at most one per vendor, with a default; dispatches a token by its prefix. */
export declare class Providers {
  private constructor()
  /** @throws InvalidInputError naming the missing or malformed setting. */
  static load(options?: LoadOptions): Providers
  /** `load({ env: true })`. */
  static fromEnv(): Providers
  /** `load({ env: false, file: path })`; pass `{ env: true }` to layer the environment over it. */
  static fromTomlFile(path: string, options?: Omit<LoadOptions, 'file'>): Providers
  static of(providers: Provider[], defaultVendor?: Vendor): Providers
  readonly vendors: Vendor[]
  readonly defaultVendor: Vendor | null
  /** The loader's warnings (a secret file readable by other users…). */
  readonly warnings: string[]
  get(vendor: Vendor): Provider
  issue(request: TokenRequest, vendor?: Vendor, now?: number): IssuedToken
  verify(token: string, options?: VerifyOptions): ParsedToken
  inspect(token: string, options?: VerifyOptions): ParsedToken
}

/** Decodes WITHOUT credentials, for debugging only: `verification` is `not_checked`. */
export declare function insecureDecode(token: string): ParsedToken

/**
 * The neutral privileges a TRTC privilege map (`privMap`, bits 1 to 128) grants, for `TokenRequest.privileges`.
 * @throws InvalidInputError for bits Tencent does not define, or none.
 */
export declare function tencentPrivilegesOfMap(map: number): Privilege[]

/** Every error this package throws. Messages never contain a secret or a token. */
export declare class RtcTokensError extends Error {
  readonly kind: ErrorKind
  readonly vendor: Vendor | null
}
export declare class InvalidInputError extends RtcTokensError {}
export declare class MalformedError extends RtcTokensError {}
export declare class VersionError extends RtcTokensError {}
export declare class SignatureError extends RtcTokensError {}
export declare class DecryptError extends RtcTokensError {}
export declare class ExpiredError extends RtcTokensError {}
export declare class MismatchError extends RtcTokensError {}
export declare class InternalError extends RtcTokensError {}
/** The class of each kind. */
export declare const errorClasses: Record<ErrorKind, typeof RtcTokensError>
