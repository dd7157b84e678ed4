// Wire protocol v1 constants: frame types, flag bits, defaults (docs/PROTOCOL.md).

/** Protocol version byte of every frame. */
export const PROTOCOL_VERSION = 0x01;

/** WebSocket subprotocol spoken by SmartSocket v1. */
export const SUBPROTOCOL = 'smartsocket-v1';

/** Default endpoint path; long-polling lives under `${path}/poll`. */
export const DEFAULT_PATH = '/smartsocket';

/** Default namespace. */
export const DEFAULT_NAMESPACE = '/';

/** Default upper bound of a data section, received or inflated: 16 MiB. */
export const DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

/** Frame types (the second byte of a frame). */
export const FrameType = {
  CONNECT: 0x01,
  DISCONNECT: 0x02,
  EVENT: 0x03,
  ACK: 0x04,
  ERROR: 0x05,
  HEARTBEAT: 0x06,
  HEARTBEAT_ACK: 0x07,
} as const;

/** One of the values of {@link FrameType}. */
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** Flag bits (the third byte of a frame). Bits 0-2 are reserved and must be 0. */
export const FrameFlag = {
  COMPRESSED: 0x80,
  ENCRYPTED: 0x40,
  ACK: 0x20,
  BINARY: 0x10,
  /** A u32 sequence number / stream position follows the ack id (sequenced sessions only). */
  SEQ: 0x08,
} as const;

/** Mask of the reserved flag bits; a frame with any of them set is invalid. */
export const RESERVED_FLAG_MASK = 0x07;

/** Largest ack id (u32). */
export const MAX_ACK_ID = 0xffff_ffff;

/** Largest namespace or event name in UTF-8 bytes (u16 length prefix). */
export const MAX_NAME_BYTES = 0xffff;

/** True when `value` is a known frame type byte. */
export function isFrameType(value: number): value is FrameType {
  return value >= FrameType.CONNECT && value <= FrameType.HEARTBEAT_ACK;
}
