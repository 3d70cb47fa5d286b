// Types of @rtc-tokens/node/access-token: npm agora-access-token 2.x (006).

export namespace RtcRole {
  export const ATTENDEE: number
  export const PUBLISHER: number
  export const SUBSCRIBER: number
  export const ADMIN: number
}
export namespace RtmRole {
  export const Rtm_User: number
}
export namespace RtcTokenBuilder {
  /** `privilegeExpiredTs`: absolute unix time, 0 = 24 hours. */
  function buildTokenWithUid(appID: string, appCertificate: string, channelName: string, uid: number | string, role: number, privilegeExpiredTs: number): string
  function buildTokenWithAccount(appID: string, appCertificate: string, channelName: string, account: string | number, role: number, privilegeExpiredTs: number): string
}
export namespace RtmTokenBuilder {
  function buildToken(appID: string, appCertificate: string, account: string | number, role: number, privilegeExpiredTs: number): string
}
