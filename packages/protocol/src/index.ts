// @smartsocket/protocol — the wire protocol v1 codec. Pure: no I/O, no timers, runs in browsers.
export { type AppAnswer, askApp, callApp, type ErrorSink } from './app-call.js';
export { AppEmitter } from './app-emitter.js';
export {
  DEFAULT_MAX_PAYLOAD,
  DEFAULT_NAMESPACE,
  DEFAULT_PATH,
  FrameFlag,
  FrameType,
  isFrameType,
  MAX_ACK_ID,
  MAX_NAME_BYTES,
  PROTOCOL_VERSION,
  RESERVED_FLAG_MASK,
  SUBPROTOCOL,
} from './constants.js';
export { heartbeatProblem, MAX_HEARTBEAT_DATA } from './control-frame.js';
export { checkAckOptions, checkEmitArgs } from './emit-args.js';
export { type ErrorCode, ErrorCodes, isErrorCode } from './error-codes.js';
export type { Frame, FrameInit } from './frame.js';
export { type DecodeOptions, decodeFrameData, decodeFrames } from './frame-decoder.js';
export {
  concatFrames,
  encodeFrame,
  encodeMessage,
  type FrameHead,
  frameAad,
  type MessageInit,
} from './frame-encoder.js';
export {
  BINARY_PLACEHOLDER_KEY,
  decodeData,
  type EncodedData,
  encodeData,
  hasBinary,
  isBinary,
  parseJson,
} from './payload-codec.js';
export {
  type ErrorPayload,
  isSmartSocketError,
  SmartSocketError,
  type SmartSocketErrorOptions,
} from './smart-socket-error.js';
export { decodeUtf8, utf8Length } from './utf8.js';
