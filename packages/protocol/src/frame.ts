// The frame shape shared by the encoder and the decoder.
import type { FrameType } from './constants.js';

/** What a caller gives the encoder. */
export interface FrameInit {
  type: FrameType;
  /** Namespace, default `'/'`. */
  namespace?: string;
  /** Event name; only EVENT frames carry one. */
  event?: string;
  /**
   * Ack id. On an EVENT it asks for an acknowledgement (the ACK flag is set for you);
   * an ACK frame must carry the id it answers.
   */
  ackId?: number;
  /**
   * Sequence number or stream position (u32) of a sequenced session; the SEQ flag is set for
   * you. Only sent to a peer that negotiated sequencing (`caps.seq`).
   */
  seq?: number;
  /** COMPRESSED / ENCRYPTED / BINARY bits to set; ACK and SEQ are derived from `ackId`/`seq`. */
  flags?: number;
  /** The data section as it goes on the wire (already compressed / sealed if flagged). */
  data?: Uint8Array;
}

/** A decoded frame. `data` and `aad` are views into the received bytes. */
export interface Frame {
  type: FrameType;
  flags: number;
  namespace: string;
  event: string;
  ackId: number | undefined;
  /** The sequence number or position, when the SEQ flag is set. */
  seq?: number | undefined;
  /** The data section as received (still compressed / sealed if flagged). */
  data: Uint8Array;
  /**
   * The header bytes from `version` up to (not including) `dataLen`: the additional
   * authenticated data of an encrypted data section.
   */
  aad: Uint8Array;
}
