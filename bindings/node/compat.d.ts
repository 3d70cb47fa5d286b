// Types of @rtc-tokens/node/compat: npm agora-token 2.x's API, the same names
// and argument order. Differences: validities are capped at 24 hours; strings
// over 65 535 bytes and malformed app ids or certificates throw an
// InvalidInputError (agora-token returns "" or a broken token).

export class Rtm2Permissions {
  static readonly kMessageChannels: number
  static readonly kStreamChannels: number
  static readonly kGroupChannels: number
  static readonly kServerGroups: number
  static readonly kUsers: number
  static readonly kRead: number
  static readonly kWrite: number
  details: { [resourceType: number]: { [permissionType: number]: string[] } }
  add(resourceType: number, permissionType: number, resources: string[]): void
}

export namespace RtcRole {
  export const PUBLISHER: number
  export const SUBSCRIBER: number
}

export namespace RtcTokenBuilder {
  function buildTokenWithUid(appId: string, appCertificate: string, channelName: string, uid: string | number, role: number, tokenExpire: number, privilegeExpire?: number): string
  function buildTokenWithUserAccount(appId: string, appCertificate: string, channelName: string, account: string | number, role: number, tokenExpire: number, privilegeExpire?: number): string
  function buildTokenWithUidAndPrivilege(appId: string, appCertificate: string, channelName: string, uid: string | number, tokenExpire: number, joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number, pubVideoPrivilegeExpire: number, pubDataStreamPrivilegeExpire: number): string
  function BuildTokenWithUserAccountAndPrivilege(appId: string, appCertificate: string, channelName: string, account: string | number, tokenExpire: number, joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number, pubVideoPrivilegeExpire: number, pubDataStreamPrivilegeExpire: number): string
  /** The usual spelling of BuildTokenWithUserAccountAndPrivilege (ours only). */
  function buildTokenWithUserAccountAndPrivilege(appId: string, appCertificate: string, channelName: string, account: string | number, tokenExpire: number, joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number, pubVideoPrivilegeExpire: number, pubDataStreamPrivilegeExpire: number): string
  function buildTokenWithRtm(appId: string, appCertificate: string, channelName: string, account: string | number, role: number, tokenExpire: number, privilegeExpire?: number): string
  function buildTokenWithRtm2(appId: string, appCertificate: string, channelName: string, rtcAccount: string | number, rtcRole: number, rtcTokenExpire: number, joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number, pubVideoPrivilegeExpire: number, pubDataStreamPrivilegeExpire: number, rtmUserId: string | number, rtmTokenExpire: number): string
}

export namespace RtmTokenBuilder {
  function buildToken(appId: string, appCertificate: string, userId: string | number, expire: number): string
  function buildTokenWithPermissions(appId: string, appCertificate: string, userId: string | number, permissions: Rtm2Permissions, expire: number): string
}

export namespace ChatTokenBuilder {
  function buildUserToken(appId: string, appCertificate: string, userId: string | number, expire: number): string
  function buildAppToken(appId: string, appCertificate: string, expire: number): string
}

export namespace FpaTokenBuilder {
  /** Expires 24 hours after generation. */
  function buildToken(appId: string, appCertificate: string): string
}

export namespace ApaasTokenBuilder {
  function buildRoomUserToken(appId: string, appCertificate: string, roomUuid: string, userUuid: string | number, role: number, expire: number): string
  function buildUserToken(appId: string, appCertificate: string, userUuid: string | number, expire: number): string
  function buildAppToken(appId: string, appCertificate: string, expire: number): string
}

export namespace EducationTokenBuilder {
  function buildRoomUserToken(appId: string, appCertificate: string, roomUuid: string, userUuid: string | number, role: number, expire: number): string
  function buildUserToken(appId: string, appCertificate: string, userUuid: string | number, expire: number): string
  function buildAppToken(appId: string, appCertificate: string, expire: number): string
}

export namespace ConvoAITokenBuilder {
  function buildToken(appId: string, appCertificate: string, channelName: string, rtcAccount: string | number, rtcRole: number, rtcTokenExpire: number, joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number, pubVideoPrivilegeExpire: number, pubDataStreamPrivilegeExpire: number, rtmUserId: string | number, rtmTokenExpire: number): string
}

export namespace SttTokenBuilder {
  function buildToken(appId: string, appCertificate: string, channelName: string, rtcAccount: string | number, rtcRole: number, rtcTokenExpire: number, joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number, pubVideoPrivilegeExpire: number, pubDataStreamPrivilegeExpire: number, rtmUserId: string | number, rtmTokenExpire: number): string
}
