// Types of @rtc-tokens/node/zego: ZEGO's Node sample generateToken04.
import { RtcTokensError } from './index'

/** ZEGO's error codes. */
export declare const ErrorCode: {
  readonly success: 0
  readonly appIDInvalid: 1
  readonly userIDInvalid: 3
  readonly secretInvalid: 5
  readonly effectiveTimeInSecondsInvalid: 6
}

/** What generateToken04 throws: ZEGO's `errorCode` and `errorMessage` (-1: a failure ZEGO has no code for). */
export declare class ZegoTokenError extends RtcTokensError {
  readonly errorCode: number
  readonly errorMessage: string
}

/**
 * A ZEGO token04 for `userId`, valid `effectiveTimeInSeconds` from now, carrying
 * `payload` as given (e.g. JSON of room_id, privilege and stream_id_list).
 * @throws ZegoTokenError as the sample throws its error object.
 */
export declare function generateToken04(
  appId: number,
  userId: string,
  secret: string,
  effectiveTimeInSeconds: number,
  payload?: string,
): string
