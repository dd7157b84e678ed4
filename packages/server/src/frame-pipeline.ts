// The per-server frame pipeline: encode → [compress] → [seal] out, [open] → [inflate] → decode in.
import {
  decodeFrameData,
  encodeMessage,
  type Frame,
  FrameFlag,
  type MessageInit,
  SmartSocketError,
} from '@smartsocket/protocol';
import type { BroadcastPacket } from './broadcast-packet.js';
import type { PeerCaps } from './handshake.js';

/** Capability group of the plain encoding: recipients get `packet.frame` itself. */
const PLAIN = '';

/** What the pipeline needs to know about the peer a frame goes to or comes from. */
export interface PeerContext {
  /** Capabilities the peer announced (and the server accepted) in CONNECT. */
  readonly caps: PeerCaps;
}

/**
 * The single place where frames are turned into bytes and back. Compression (a later release)
 * plugs into {@link FramePipeline.groupOf} / `#transform`; sealing (encryption) into the same two
 * spots plus {@link FramePipeline.openData}. Every outgoing frame of the server passes through
 * `encode` (unicast) or `packetFor` (broadcast), then the socket's send queue.
 *
 * @example
 * const bytes = pipeline.encode({ type: FrameType.EVENT, namespace: '/', event: 'hi' }, socket);
 */
export class FramePipeline {
  /** Compression algorithms this server offers in the CONNECT answer (none yet). */
  readonly compression: readonly string[] = [];

  /** Encodes one frame for one peer. */
  encode(msg: MessageInit, _peer: PeerContext, _compress = true): Uint8Array {
    // Step 1 (encode) is the hot path; steps 2-3 (compress, seal) hook in here when negotiated.
    return encodeMessage(msg);
  }

  /**
   * The bytes of a broadcast packet for one peer: the same `Uint8Array` for every peer of the
   * same capability group (encoded once per group and cached on the packet).
   */
  packetFor(packet: BroadcastPacket, peer: PeerContext, compress = true): Uint8Array {
    const group = this.groupOf(packet, peer, compress);
    if (group === PLAIN) return packet.frame;
    let bytes = packet.variants.get(group);
    if (!bytes) packet.variants.set(group, (bytes = this.#transform(packet, group)));
    return bytes;
  }

  /** The capability group a peer falls in for this packet (`''` = plain). */
  groupOf(_packet: BroadcastPacket, _peer: PeerContext, _compress: boolean): string {
    return PLAIN;
  }

  /**
   * Decodes the value of an incoming frame's data section, undoing sealing and compression.
   * Throws `SmartSocketError`: `ERR_MSG_002`/`ERR_MSG_003` for a section flagged compressed or
   * encrypted that cannot be undone, `ERR_MSG_001` for bad UTF-8/JSON/attachments.
   */
  decodeData(frame: Frame, _peer: PeerContext): unknown {
    if (frame.flags & FrameFlag.ENCRYPTED)
      throw new SmartSocketError('ERR_MSG_003', 'Encryption is not enabled on this server');
    if (frame.flags & FrameFlag.COMPRESSED)
      throw new SmartSocketError('ERR_MSG_002', 'Compression was not negotiated');
    return decodeFrameData(frame);
  }

  #transform(packet: BroadcastPacket, _group: string): Uint8Array {
    return packet.frame;
  }
}
