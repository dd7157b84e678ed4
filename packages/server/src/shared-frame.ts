// Frames sent unchanged to many peers (broadcasts): the wire-form cache that travels with them.

/** Per-transport wire forms of one shared frame, built on first use (e.g. `websocket`). */
export type WireForms = { [transport: string]: Uint8Array | undefined };

/**
 * One frame that goes out as is to many peers (a broadcast packet or one of its per-group
 * variants), with the cache in which a transport keeps its wire form: a WebSocket frames it
 * once for all recipients instead of once per recipient. Made once per frame and handed along
 * with the bytes, so nothing has to look the bytes up.
 *
 * @example
 * const shared = sharedFrame(packet.frame);
 * transport.send(shared.bytes, shared.wire);
 */
export interface SharedFrame {
  readonly bytes: Uint8Array;
  readonly wire: WireForms;
}

/** Wraps `bytes` as a {@link SharedFrame} with an empty wire-form cache. */
export function sharedFrame(bytes: Uint8Array): SharedFrame {
  return { bytes, wire: {} };
}
