// Compression and sealing of one connection's data sections: encode → compress → seal out,
// open → inflate in (docs/ARCHITECTURE.md, "Compression and encryption on the wire").
import {
  answerKey,
  type CipherKey,
  decodeSessionNonce,
  encodeSessionNonce,
  openFrame,
  randomSessionNonce,
  type SectionSealer,
  SessionCipher,
} from '@smartsocket/crypto';
import {
  DEFAULT_MAX_PAYLOAD,
  type EncodedData,
  type Frame,
  FrameFlag,
  type FrameHead,
  frameAad,
  SmartSocketError,
} from '@smartsocket/protocol';
import type { Deflater } from './deflater.js';
import type { SectionCodec } from './section-codec.js';

/** What one connection's codec is made of. */
export interface SessionCodecOptions {
  /**
   * The shared key: seals the CONNECT; every later section is sealed with session keys derived
   * from it and both handshake nonces (and only sealed sections open).
   */
  key?: CipherKey;
  /** Raw DEFLATE; present when `enableCompression` is on (then the client announces deflate). */
  deflater?: Deflater;
  /** Compress only sections larger than this many bytes. */
  threshold: number;
  /** DEFLATE level, 1-9. */
  level: number;
}

const TRANSFORM_FLAGS = FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED;

/** The session fields of the server's CONNECT answer (encryption on). */
export interface SessionAnswer {
  nonce?: unknown;
  group?: { salt?: unknown; seq?: unknown } | undefined;
}

/**
 * The codec of one connection attempt. Sealing is on from the CONNECT on when a key is given:
 * the CONNECT with the shared key, the answer with a key bound to this attempt's fresh nonce,
 * everything after with the session keys ({@link negotiate}); compressing starts only once the
 * server's CONNECT answer accepted deflate.
 */
export class SessionCodec implements SectionCodec {
  /** True once the server accepted deflate: outgoing sections may be compressed. */
  compressing = false;
  /** Inflation limit: the server's announced `maxPayload`. */
  maxPayload = DEFAULT_MAX_PAYLOAD;
  /** This attempt's handshake nonce (sent in the sealed CONNECT). */
  readonly #nonce = randomSessionNonce();
  /** The session keys, once the sealed CONNECT answer gave the server's nonce. */
  #cipher: SessionCipher | undefined;

  constructor(private readonly opts: SessionCodecOptions) {}

  /** The `nonce` field of the CONNECT body (base64), when sealing. */
  get connectNonce(): string | undefined {
    return this.opts.key ? encodeSessionNonce(this.#nonce) : undefined;
  }

  /** Compression algorithms to announce in CONNECT. */
  get announced(): string[] {
    return this.opts.deflater ? ['deflate'] : [];
  }

  get sealing(): boolean {
    return this.opts.key !== undefined;
  }

  get transforms(): boolean {
    return this.compressing || this.opts.key !== undefined;
  }

  get passThrough(): number {
    // A whole frame no larger than the threshold has a section no larger than it either.
    return this.opts.key ? -1 : this.opts.threshold;
  }

  /**
   * Applies the server's CONNECT answer: compression as agreed, its `maxPayload` as limit, and
   * when sealing the session keys from its `nonce` and `group` (`ERR_CONN_003` without them).
   */
  negotiate(answer: { caps: { compression: string[] }; maxPayload: number } & SessionAnswer): void {
    if (this.opts.key) this.#cipher = this.#session(this.opts.key, answer);
    this.compressing =
      this.opts.deflater !== undefined && answer.caps.compression.includes('deflate');
    this.maxPayload = answer.maxPayload;
  }

  #session(key: CipherKey, answer: SessionAnswer): SessionCipher {
    const serverNonce = decodeSessionNonce(answer.nonce);
    const salt = decodeSessionNonce(answer.group?.salt);
    const seq = answer.group?.seq;
    if (!serverNonce || !salt || !Number.isSafeInteger(seq) || (seq as number) < 0)
      throw new SmartSocketError(
        'ERR_CONN_003',
        'Handshake failed: the CONNECT answer carries no session nonce',
      );
    return SessionCipher.forClient(key, this.#nonce, serverNonce, { salt, seq: seq as number });
  }

  /** What seals now: the session keys, or the shared key for the CONNECT itself. */
  #sealer(key: CipherKey): SectionSealer {
    return this.#cipher ?? key;
  }

  /** What opens now: the session keys, or during the handshake the answer's key. */
  #opener(key: CipherKey): SectionSealer {
    return this.#cipher ?? answerKey(key, this.#nonce);
  }

  encode(
    head: FrameHead,
    section: EncodedData,
    compress: boolean,
  ): { data: Uint8Array; flags: number } | undefined {
    let data = section.bytes;
    let flags = 0;
    const { deflater, key, threshold, level } = this.opts;
    if (compress && this.compressing && deflater && data.length > threshold) {
      if (data.length > this.maxPayload)
        throw new SmartSocketError(
          'ERR_MSG_004',
          `Message of ${data.length} bytes exceeds the server's maxPayload ${this.maxPayload}`,
          { event: head.event },
        );
      const packed = deflater.deflate(data, level);
      // Sent compressed only when it saves at least 10 %.
      if (packed.length * 10 <= data.length * 9) {
        data = packed;
        flags |= FrameFlag.COMPRESSED;
      }
    }
    if (key) {
      flags |= FrameFlag.ENCRYPTED;
      data = this.#sealer(key).seal(data, frameAad({ ...head, flags: (head.flags ?? 0) | flags }));
    }
    return flags === 0 ? undefined : { data, flags };
  }

  open(frame: Frame): Frame {
    if ((frame.flags & TRANSFORM_FLAGS) === 0 && !this.opts.key) return frame;
    let data: Uint8Array;
    if (this.opts.key) data = openFrame(this.#opener(this.opts.key), frame);
    else if (frame.flags & FrameFlag.ENCRYPTED)
      throw new SmartSocketError('ERR_MSG_003', 'Encrypted frame but encryption is off');
    else data = frame.data;
    if (frame.flags & FrameFlag.COMPRESSED) {
      if (!this.opts.deflater)
        throw new SmartSocketError(
          'ERR_MSG_002',
          'Compressed frame but compression was not announced',
        );
      data = this.opts.deflater.inflate(data, this.maxPayload);
    }
    return { ...frame, flags: frame.flags & ~TRANSFORM_FLAGS, data };
  }
}
