// Compiled by `tsc --noEmit` only: the declared types accept real use, and the
// compatibility layer's types cover npm agora-token's (assignable to them).
import { Provider, Providers, ParsedToken, IssuedToken, RtcTokensError, ErrorKind, tencentPrivilegesOfMap } from '../index'
import * as compat from '../compat'
import * as agoraToken from 'agora-token'
import * as zego from '../zego'
import * as access from '../access-token'

const agora: Provider = Provider.agora('970ca35de60c44645bbae8a215061b33', '5cfd2fd1755d40ecb72977518be15d3b', { version: '007' })
const issued: IssuedToken = agora.issue({ userId: 'alice', room: 'lobby', validitySecs: 600, privilegeExpiries: { publishAudio: 60 } })
const parsed: ParsedToken = agora.verify(issued.token, { room: 'lobby', require: ['join_channel'] })
if (parsed.detail.format === 'agora007') {
  const first: string | undefined = parsed.detail.services[0]?.channel_name
  void first
}
const tencent: Provider = Provider.tencent(1400000001, 'f4bb043bf9d7ea80f8b49cceb79c33b5da6610acba1dd1749f389c26ecc78cff', { renewBeforeSecs: 60 })
const key: ParsedToken = tencent.verify(tencent.issue({ userId: 'alice', room: '1234', privileges: tencentPrivilegesOfMap(2 | 8) }).token, { version: 'usersig' })
if (key.detail.format === 'tencent_usersig') {
  const bits: number | undefined = key.detail.private_map_key?.privilege_map
  void bits
}
const providers: Providers = Providers.of([agora, Provider.demo('zego'), tencent], 'zego')
const kind: ErrorKind | undefined = (() => {
  try {
    providers.verify('garbage')
  } catch (e) {
    if (e instanceof RtcTokensError) return e.kind
  }
  return undefined
})()
void kind

// Same names and argument order as agora-token: ours is assignable to theirs.
export const rtc: typeof agoraToken.RtcTokenBuilder = compat.RtcTokenBuilder
export const rtm: typeof agoraToken.RtmTokenBuilder = compat.RtmTokenBuilder
export const chat: typeof agoraToken.ChatTokenBuilder = compat.ChatTokenBuilder
export const fpa: typeof agoraToken.FpaTokenBuilder = compat.FpaTokenBuilder
export const apaas: typeof agoraToken.ApaasTokenBuilder = compat.ApaasTokenBuilder
export const edu: typeof agoraToken.EducationTokenBuilder = compat.EducationTokenBuilder
export const convo: typeof agoraToken.ConvoAITokenBuilder = compat.ConvoAITokenBuilder
export const stt: typeof agoraToken.SttTokenBuilder = compat.SttTokenBuilder
export const role: typeof agoraToken.RtcRole = compat.RtcRole
export const perms: typeof agoraToken.Rtm2Permissions = compat.Rtm2Permissions

const token04: string = zego.generateToken04(1, 'demo', 'fa94dd0f974cf2e293728a526b028271', 3600, '')
const t006: string = access.RtcTokenBuilder.buildTokenWithUid('970ca35de60c44645bbae8a215061b33', '5cfd2fd1755d40ecb72977518be15d3b', 'ch', 42, access.RtcRole.PUBLISHER, 0)
void token04
void t006
