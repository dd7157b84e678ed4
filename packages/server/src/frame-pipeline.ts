// The per-server frame pipeline: encode → [compress] → [seal] out, [open] → [inflate] → decode in.
import {
  type CipherKey,
  KeyRing,
  openFrame,
  parseKey,
  type SectionSealer,
  sealFrame,
} from '@smartsocket/crypto';
import {
  decodeFrameData,
  decodeFrames,
  encodeData,
  encodeFrame,
  encodeMessage,
  type Frame,
  FrameFlag,
  type FrameHead,
  FrameType,
  type MessageInit,
  SmartSocketError,
} from '@smartsocket/protocol';
import type { BroadcastPacket } from './broadcast-packet.js';
import { deflateSection, inflateSection } from './deflate-codec.js';
import type { PeerCaps } from './handshake.js';
import type { ResolvedOptions } from './server-options.js';
import { SessionKeys } from './session-keys.js';
import { type SharedFrame, sharedFrame } from './shared-frame.js';

/** Capability group of the plain encoding: recipients get `packet.frame` itself. */
const PLAIN = '';
/** The one compression algorithm: raw DEFLATE. */
const DEFLATE = 'deflate';
/** `packet.variants` slot of the deflated data section (EMPTY: not worth compressing). */
const DEFLATED_SECTION = '#deflated';
const EMPTY = new Uint8Array(0);
// Our own frames only: no section limit needed when re-reading them.
const NO_LIMIT = { maxPayload: 0xffff_ffff };

/** What the pipeline needs to know about the peer a frame goes to or comes from. */
export interface PeerContext {
  /** Capabilities the peer announced (and the server accepted) in CONNECT. */
  readonly caps: PeerCaps;
  /**
   * The session's keys once the handshake is accepted with encryption on: every frame is sealed
   * (server → client) and must open (client → server) with them.
   */
  readonly cipher?: SectionSealer | undefined;
  /** The namespace's broadcast group key (encryption on): broadcasts are sealed once with it. */
  readonly groupKey?: SectionSealer | undefined;
}

/** The options the pipeline reads. */
export type PipelineOptions = Pick<
  ResolvedOptions,
  | 'enableCompression'
  | 'compressionThreshold'
  | 'compressionLevel'
  | 'maxPayload'
  | 'enableEncryption'
  | 'encryptionKey'
>;

/** A CONNECT whose data section was opened (when sealed), and the key that opened it. */
export interface OpenedConnect {
  frame: Frame;
  key: CipherKey | undefined;
}

function headOf(frame: Frame): FrameHead {
  return {
    type: frame.type,
    namespace: frame.namespace,
    event: frame.event,
    flags: frame.flags,
    ...(frame.ackId === undefined ? {} : { ackId: frame.ackId }),
    ...(frame.seq === undefined ? {} : { seq: frame.seq }),
  };
}

/**
 * The single place where frames are turned into bytes and back, compression and sealing
 * included. Every outgoing frame of the server passes through `encode` (unicast), `encodeSection`
 * (a section that is already bytes) or `packetFor` (broadcast), then the socket's send queue.
 * A broadcast is compressed once and sealed once per (compression, key) group of its recipients:
 * every socket of a group gets the same `Uint8Array`.
 *
 * @example
 * const bytes = pipeline.encode({ type: FrameType.EVENT, namespace: '/', event: 'hi' }, socket);
 */
export class FramePipeline {
  /** Compression algorithms this server offers in the CONNECT answer. */
  readonly compression: readonly string[];
  /** The current key and the keys still in their rotation grace period (encryption on). */
  readonly ring: KeyRing | undefined;
  /** Session key schedule: replayed CONNECTs, server nonces, group keys (encryption on). */
  readonly sessions: SessionKeys | undefined;
  readonly #threshold: number;
  readonly #level: number;
  readonly #maxPayload: number;
  /** Compressed outputs → their size had they been sent uncompressed (for the stats). */
  readonly #plainSizes = new WeakMap<Uint8Array, number>();
  readonly #keyIds = new WeakMap<SectionSealer, number>();
  #nextKeyId = 1;

  constructor(opts: PipelineOptions) {
    this.compression = opts.enableCompression ? [DEFLATE] : [];
    this.ring =
      opts.enableEncryption && opts.encryptionKey !== undefined
        ? new KeyRing(parseKey(opts.encryptionKey, 'encryptionKey'))
        : undefined;
    this.sessions = this.ring ? new SessionKeys() : undefined;
    this.#threshold = opts.compressionThreshold;
    this.#level = opts.compressionLevel;
    this.#maxPayload = opts.maxPayload;
  }

  /** Whether every session is sealed. */
  get encrypted(): boolean {
    return this.ring !== undefined;
  }

  /** Encodes one frame for one peer; `compress` false never compresses it. */
  encode(msg: MessageInit, peer: PeerContext, compress = true): Uint8Array {
    // Unsealed: the plain frame in one pass, transformed only when it is worth compressing.
    if (peer.cipher === undefined) return this.fromPlain(encodeMessage(msg), peer, compress);
    // Sealed: the data section is encoded on its own (no frame encoded, then decoded again).
    const { bytes: section, binary } = encodeData(msg.data);
    const deflated = compress && this.#deflates(peer) ? this.#deflate(section) : undefined;
    const head: FrameHead = {
      type: msg.type,
      namespace: msg.namespace,
      event: msg.event,
      flags: (msg.flags ?? 0) | (binary ? FrameFlag.BINARY : 0),
      ...(msg.ackId === undefined ? {} : { ackId: msg.ackId }),
      ...(msg.seq === undefined ? {} : { seq: msg.seq }),
    };
    return this.#finish(head, section, deflated, peer.cipher);
  }

  /**
   * The bytes for one peer of a frame already encoded plain (not compressed, not sealed): the
   * frame itself, or compressed and/or sealed for the peer. A logged unicast is re-sealed this
   * way for the session that recovers it.
   */
  fromPlain(plain: Uint8Array, peer: PeerContext, compress = true): Uint8Array {
    // A frame no longer than the threshold cannot hold a section worth compressing.
    const deflate = compress && plain.length > this.#threshold && this.#deflates(peer);
    if (!deflate && peer.cipher === undefined) return plain;
    const frame = decodeFrames(plain, NO_LIMIT)[0]!;
    const deflated = deflate ? this.#deflate(frame.data) : undefined;
    if (deflated === undefined && peer.cipher === undefined) return plain;
    return this.#finish(headOf(frame), frame.data, deflated, peer.cipher);
  }

  /** Encodes a frame whose data section is already bytes (sealed when the peer has a key). */
  encodeSection(head: FrameHead, section: Uint8Array, peer: PeerContext): Uint8Array {
    return this.#finish(head, section, undefined, peer.cipher);
  }

  /**
   * The bytes of a broadcast packet for one peer: the same `Uint8Array` for every peer of the
   * same capability group (encoded once per group and cached on the packet). Sealed peers share
   * their namespace's group key, so a broadcast is sealed once per (compression, group key).
   */
  packetFor(packet: BroadcastPacket, peer: PeerContext, compress = true): Uint8Array {
    return this.sharedFor(packet, peer, compress).bytes;
  }

  /** {@link packetFor} with the frame's wire-form cache (the same object for the whole group). */
  sharedFor(packet: BroadcastPacket, peer: PeerContext, compress = true): SharedFrame {
    const deflated = compress && this.#deflates(peer) ? this.#packetDeflated(packet) : undefined;
    const key = peer.groupKey;
    if (deflated === undefined && key === undefined) return packet.shared;
    const group = this.#group(deflated !== undefined, key);
    let shared = packet.groups.get(group);
    if (!shared)
      packet.groups.set(group, (shared = sharedFrame(this.#transform(packet, deflated, key))));
    return shared;
  }

  /**
   * The bytes of a broadcast packet for one peer, sealed with that peer's own session keys
   * instead of its group key, and not cached. For a packet delivered after the fact (say, the
   * missed messages of a recovered session): its group variant carries a group counter the peer
   * may already have passed, and a group counter only moves forward.
   */
  packetForSession(packet: BroadcastPacket, peer: PeerContext, compress = true): Uint8Array {
    const deflated = compress && this.#deflates(peer) ? this.#packetDeflated(packet) : undefined;
    if (deflated === undefined && peer.cipher === undefined) return packet.frame;
    return this.#transform(packet, deflated, peer.cipher);
  }

  /**
   * The capability group a peer falls in for this packet: `''` (plain), `'deflate'`, `':<key>'`
   * (sealed with one group key) or `'deflate:<key>'`.
   */
  groupOf(packet: BroadcastPacket, peer: PeerContext, compress: boolean): string {
    const deflate = compress && this.#deflates(peer) && this.#packetDeflated(packet) !== undefined;
    return this.#group(deflate, peer.groupKey);
  }

  /**
   * For a frame this pipeline sent compressed: its size had it been sent uncompressed
   * (`undefined` for every other frame). Feeds `StatsCollector.messageOut`.
   */
  plainSizeOf(bytes: Uint8Array): number | undefined {
    return this.compression.length === 0 ? undefined : this.#plainSizes.get(bytes);
  }

  /**
   * Opens the data section of a frame from a peer with session keys. Throws `SmartSocketError`
   * `ERR_MSG_003` for a frame without the ENCRYPTED flag, one that does not authenticate, or one
   * replayed, reordered or reflected (its counter or direction is not the next expected).
   */
  open(frame: Frame, cipher: SectionSealer): Frame {
    const data = openFrame(cipher, frame);
    return { ...frame, flags: frame.flags & ~FrameFlag.ENCRYPTED, data };
  }

  /**
   * Opens a CONNECT with the key ring (current key, then keys in their grace period). A sealed
   * CONNECT to a server without encryption, an unsealed one to a server with it, or one that
   * does not open: `SmartSocketError` `ERR_CONN_004`.
   */
  openConnect(frame: Frame): OpenedConnect {
    const sealed = (frame.flags & FrameFlag.ENCRYPTED) !== 0;
    if (!this.ring) {
      if (sealed)
        throw new SmartSocketError('ERR_CONN_004', 'Encryption is not enabled on this server');
      return { frame, key: undefined };
    }
    if (!sealed) throw new SmartSocketError('ERR_CONN_004', 'This server requires encryption');
    try {
      const { plaintext, key } = this.ring.open(frame.data, frame.aad);
      return {
        frame: { ...frame, flags: frame.flags & ~FrameFlag.ENCRYPTED, data: plaintext },
        key,
      };
    } catch {
      throw new SmartSocketError('ERR_CONN_004', 'CONNECT does not open with the server key');
    }
  }

  /**
   * The plain data section of an opened frame: inflated (bounded by `maxPayload`) when flagged
   * COMPRESSED. Throws `ERR_MSG_002` (compression not negotiated, corrupt DEFLATE),
   * `ERR_MSG_004` (inflates past `maxPayload`), `ERR_MSG_003` (still sealed).
   */
  section(frame: Frame, peer: PeerContext): Uint8Array {
    if (frame.flags & FrameFlag.ENCRYPTED)
      throw new SmartSocketError('ERR_MSG_003', 'Encryption is not enabled on this session');
    if ((frame.flags & FrameFlag.COMPRESSED) === 0) return frame.data;
    if (!this.#deflates(peer))
      throw new SmartSocketError('ERR_MSG_002', 'Compression was not negotiated');
    return inflateSection(frame.data, this.#maxPayload);
  }

  /**
   * Decodes the value of an incoming (already opened) frame's data section, inflating it first.
   * Throws `SmartSocketError`: `ERR_MSG_002`/`ERR_MSG_003`/`ERR_MSG_004` as {@link section},
   * `ERR_MSG_001` for bad UTF-8/JSON/attachments.
   */
  decodeData(frame: Frame, peer: PeerContext): unknown {
    if ((frame.flags & (FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED)) === 0)
      return decodeFrameData(frame);
    const data = this.section(frame, peer);
    return decodeFrameData({ flags: frame.flags & ~FrameFlag.COMPRESSED, data });
  }

  #deflates(peer: PeerContext): boolean {
    return this.compression.length > 0 && peer.caps.compression.includes(DEFLATE);
  }

  /** The deflated section when it is above the threshold and saves ≥ 10 %, else undefined. */
  #deflate(section: Uint8Array): Uint8Array | undefined {
    return section.length > this.#threshold ? deflateSection(section, this.#level) : undefined;
  }

  /** A packet's deflated section, computed once per packet (undefined: sent uncompressed). */
  #packetDeflated(packet: BroadcastPacket): Uint8Array | undefined {
    if (packet.data.length <= this.#threshold) return undefined;
    let deflated = packet.variants.get(DEFLATED_SECTION);
    if (!deflated)
      packet.variants.set(DEFLATED_SECTION, (deflated = this.#deflate(packet.data) ?? EMPTY));
    return deflated === EMPTY ? undefined : deflated;
  }

  #group(deflate: boolean, key: SectionSealer | undefined): string {
    if (key === undefined) return deflate ? DEFLATE : PLAIN;
    return `${deflate ? DEFLATE : ''}:${this.#keyId(key)}`;
  }

  #keyId(key: SectionSealer): number {
    let id = this.#keyIds.get(key);
    if (id === undefined) this.#keyIds.set(key, (id = this.#nextKeyId++));
    return id;
  }

  /** Encodes `head` with `deflated ?? section` as its data, sealed with `key` if given. */
  #finish(
    head: FrameHead,
    section: Uint8Array,
    deflated: Uint8Array | undefined,
    key: SectionSealer | undefined,
  ): Uint8Array {
    const data = deflated ?? section;
    const flags = (head.flags ?? 0) | (deflated ? FrameFlag.COMPRESSED : 0);
    const out = { ...head, flags };
    const bytes = key ? sealFrame(key, out, data) : encodeFrame({ ...out, data });
    if (deflated) this.#plainSizes.set(bytes, bytes.length - deflated.length + section.length);
    return bytes;
  }

  #transform(
    packet: BroadcastPacket,
    deflated: Uint8Array | undefined,
    key: SectionSealer | undefined,
  ): Uint8Array {
    const head: FrameHead = {
      type: FrameType.EVENT,
      namespace: packet.namespace,
      event: packet.event,
      flags: packet.flags,
      ...(packet.ackId === undefined ? {} : { ackId: packet.ackId }),
      ...(packet.seq === undefined ? {} : { seq: packet.seq }),
    };
    return this.#finish(head, packet.data, deflated, key);
  }
}
