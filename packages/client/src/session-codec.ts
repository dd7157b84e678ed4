// Compression and sealing of one connection's data sections: encode → compress → seal out,
// open → inflate in (docs/ARCHITECTURE.md, "Compression and encryption on the wire").
import {
  DEFAULT_MAX_PAYLOAD,
  type EncodedData,
  type Frame,
  FrameFlag,
  type FrameHead,
  frameAad,
  SmartSocketError,
} from '@smartsocket/protocol';
import type { AttemptSealer, Sealing, SealKey, SessionAnswer } from './codec-kit.js';
import type { Deflater } from './deflater.js';
import type { SectionCodec } from './section-codec.js';

/** What one connection's codec is made of. */
export interface SessionCodecOptions {
  /**
   * The shared key: seals the CONNECT; every later section is sealed with session keys derived
   * from it and both handshake nonces (and only sealed sections open).
   */
  key?: SealKey;
  /**
   * The encryption back end that made `key`; required with it. Injected rather than imported,
   * so a browser page without encryption never loads any of it.
   */
  sealing?: Sealing;
  /** Raw DEFLATE; present when `enableCompression` is on (then the client announces deflate). */
  deflater?: Deflater;
  /** Compress only sections larger than this many bytes. */
  threshold: number;
  /** DEFLATE level, 1-9. */
  level: number;
}

/** A transformed section and the flags it adds. */
type Encoded = { data: Uint8Array; flags: number };

const TRANSFORM_FLAGS = FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED;

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
  /** This attempt's sealing (its handshake nonce, then the session keys); none without a key. */
  readonly #sealer: AttemptSealer | undefined;

  constructor(private readonly opts: SessionCodecOptions) {
    if (opts.key && !opts.sealing)
      throw new SmartSocketError(
        'ERR_CONFIG_001',
        'Invalid option "encryptionKey": no sealing back end',
      );
    this.#sealer = opts.key ? opts.sealing!.attempt(opts.key) : undefined;
  }

  /** The `nonce` field of the CONNECT body (base64), when sealing. */
  get connectNonce(): string | undefined {
    return this.#sealer?.connectNonce;
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
    this.#sealer?.start(answer);
    this.compressing =
      this.opts.deflater !== undefined && answer.caps.compression.includes('deflate');
    this.maxPayload = answer.maxPayload;
  }

  encode(
    head: FrameHead,
    section: EncodedData,
    compress: boolean,
  ): Encoded | undefined | Promise<Encoded | undefined> {
    const data = section.bytes;
    const { deflater, threshold, level } = this.opts;
    if (compress && this.compressing && deflater && data.length > threshold) {
      if (data.length > this.maxPayload)
        throw new SmartSocketError(
          'ERR_MSG_004',
          `Message of ${data.length} bytes exceeds the server's maxPayload ${this.maxPayload}`,
          { event: head.event },
        );
      const packed = deflater.deflate(data, level);
      return packed instanceof Promise
        ? packed.then((p) => this.#seal(head, data, p))
        : this.#seal(head, data, packed);
    }
    return this.#seal(head, data, undefined);
  }

  /** Second half of `encode`, once deflated: the smaller section, sealed when a key is set. */
  #seal(
    head: FrameHead,
    plain: Uint8Array,
    packed: Uint8Array | undefined,
  ): Encoded | undefined | Promise<Encoded> {
    let data = plain;
    let flags = 0;
    // Sent compressed only when it saves at least 10 %.
    if (packed && packed.length * 10 <= plain.length * 9) {
      data = packed;
      flags |= FrameFlag.COMPRESSED;
    }
    if (!this.#sealer) return flags === 0 ? undefined : { data, flags };
    flags |= FrameFlag.ENCRYPTED;
    const sealed = this.#sealer.seal(data, frameAad({ ...head, flags: (head.flags ?? 0) | flags }));
    return sealed instanceof Promise
      ? sealed.then((bytes) => ({ data: bytes, flags }))
      : { data: sealed, flags };
  }

  open(frame: Frame): Frame | Promise<Frame> {
    const sealer = this.#sealer;
    if ((frame.flags & TRANSFORM_FLAGS) === 0 && !sealer) return frame;
    if (!sealer) {
      if (frame.flags & FrameFlag.ENCRYPTED)
        throw new SmartSocketError('ERR_MSG_003', 'Encrypted frame but encryption is off');
      return this.#inflate(frame, frame.data);
    }
    if ((frame.flags & FrameFlag.ENCRYPTED) === 0)
      throw new SmartSocketError(
        'ERR_MSG_003',
        'Decryption failed: the data section did not authenticate',
      );
    const opened = sealer.open(frame.data, frame.aad);
    return opened instanceof Promise
      ? opened.then((data) => this.#inflate(frame, data))
      : this.#inflate(frame, opened);
  }

  /** Second half of `open`, once unsealed: the plain frame, inflated when flagged. */
  #inflate(frame: Frame, data: Uint8Array): Frame | Promise<Frame> {
    const plain = (section: Uint8Array): Frame => ({
      ...frame,
      flags: frame.flags & ~TRANSFORM_FLAGS,
      data: section,
    });
    if (!(frame.flags & FrameFlag.COMPRESSED)) return plain(data);
    if (!this.opts.deflater)
      throw new SmartSocketError(
        'ERR_MSG_002',
        'Compressed frame but compression was not announced',
      );
    const inflated = this.opts.deflater.inflate(data, this.maxPayload);
    return inflated instanceof Promise ? inflated.then(plain) : plain(inflated);
  }
}
