// Frames sent unchanged to many peers (broadcasts): transports prebuild their wire form once.

/** Per-transport wire forms of one shared frame, built on first use (e.g. `websocket`). */
export type WireForms = { [transport: string]: Uint8Array | undefined };

const shared = new WeakMap<Uint8Array, WireForms>();

/**
 * Marks `bytes` as one frame that goes out as is to many peers (a broadcast packet and its
 * per-group variants). A transport that receives exactly these bytes may then frame them once
 * for all recipients ({@link wireForms}) instead of once per recipient. Weakly held: the mark
 * goes away with the bytes.
 *
 * @example
 * markShared(packet.frame);
 */
export function markShared(bytes: Uint8Array): void {
  if (!shared.has(bytes)) shared.set(bytes, {});
}

/** The wire-form cache of a shared frame; undefined for bytes sent to a single peer. */
export function wireForms(bytes: Uint8Array): WireForms | undefined {
  return shared.get(bytes);
}
