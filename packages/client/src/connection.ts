// One connection: transport open → CONNECT handshake → frames, heartbeats, DISCONNECT → end.

import { SEAL_OVERHEAD } from '@smartsocket/crypto';
import type { Logger } from '@smartsocket/logger';
import {
  DEFAULT_MAX_PAYLOAD,
  decodeFrameData,
  decodeFrames,
  type ErrorCode,
  type Frame,
  FrameFlag,
  FrameType,
  heartbeatProblem,
  type MessageInit,
  SmartSocketError,
} from '@smartsocket/protocol';
import { FrameBatcher } from './frame-batcher.js';
import { type ConnectRequest, type HandshakeAnswer, parseHandshakeAnswer } from './handshake.js';
import { Heartbeat } from './heartbeat.js';
import { encodeOutgoing, openIncoming } from './section-codec.js';
import type { SessionCodec } from './session-codec.js';
import type { TimerProvider } from './timers.js';
import { CloseCode, type Transport } from './transport.js';

/** Errors no retry can fix: the client stops instead of reconnecting. */
const FATAL: ReadonlySet<ErrorCode> = new Set(['ERR_CONN_004', 'ERR_MSG_005', 'ERR_CONFIG_001']);

/** Close codes that tell why the server refused when it sent no ERROR frame. */
const CLOSE_CODE_ERRORS: Record<number, ErrorCode> = { 4001: 'ERR_CONN_004', 1013: 'ERR_CONN_005' };

/** How a connection ended. */
export interface ConnectionEnd {
  /** True when the handshake had completed. */
  established: boolean;
  /** Human-readable reason (the `disconnected` event's argument). */
  reason: string;
  /** What went wrong; absent for a close asked for by either side. */
  error?: SmartSocketError;
  /** False when reconnecting cannot help or is not wanted. */
  reconnect: boolean;
}

/** What a connection needs. */
export interface ConnectionOptions {
  transport: Transport;
  namespace: string;
  request: ConnectRequest;
  timeout: number;
  /** Ms the transport may take to open (`websocketTimeout` when a fallback exists). */
  openTimeout?: number;
  heartbeatInterval?: number;
  heartbeatTimeout?: number;
  timers: TimerProvider;
  logger: Logger;
  /** Compression/sealing of this connection's sections (none: plain frames only). */
  codec?: SessionCodec;
  onReady(answer: HandshakeAnswer): void;
  /** EVENT, ACK and ERROR frames after the handshake, their data sections already plain. */
  onFrame(frame: Frame): void;
  /** A frame after the handshake that could not be opened (`ERR_MSG_00x`): it was dropped. */
  onError(error: SmartSocketError): void;
  /** Called exactly once. */
  onEnd(end: ConnectionEnd): void;
  /** A sequenced session's HEARTBEAT `{ r }`: the server has every frame up to `r`. */
  onReceived?(r: number): void;
}

type State = 'opening' | 'handshaking' | 'open' | 'closed';

/** Server HEARTBEATs answered per window (ms); more within one window go unanswered. */
const HEARTBEAT_BUDGET = 64;
const HEARTBEAT_BUDGET_WINDOW = 1000;

/**
 * Drives one transport through the session protocol. The client makes a new Connection for
 * every (re)connection attempt; everything it owns (timers, heartbeat) ends with it.
 */
export class Connection {
  answer: HandshakeAnswer | undefined;
  private state: State = 'opening';
  private readonly batcher: FrameBatcher;
  private heartbeat: Heartbeat | undefined;
  private timer: unknown;
  private openTimer: unknown;
  private opened = false;
  private lastTransportError: Error | undefined;
  private limits: { maxPayload: number } | undefined;
  private limitsFor: HandshakeAnswer | undefined;
  /**
   * Received frames waiting behind one that inflates asynchronously (browser streams): every
   * later frame is handled after it, so listeners see frames in the order they arrived.
   */
  private inbound: Promise<void> | undefined;
  /** The last outgoing frame still being compressed (browser streams): later ones wait behind it. */
  private outbound: Promise<void> | undefined;
  private heartbeatsAnswered = 0;
  private heartbeatsSince = 0;

  constructor(private readonly opts: ConnectionOptions) {
    // One transport message never exceeds what the server accepts (its announced maxPayload).
    this.batcher = new FrameBatcher(
      (bytes) => opts.transport.send(bytes),
      () => this.answer?.maxPayload ?? DEFAULT_MAX_PAYLOAD,
    );
  }

  /** Whether the transport ever opened (false: it failed or timed out before). */
  get transportOpened(): boolean {
    return this.opened;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Round trip measured by the last heartbeat, in ms. */
  get rtt(): number | undefined {
    return this.heartbeat?.rtt;
  }

  start(): void {
    const { transport, timers } = this.opts;
    transport.on('open', () => this.onTransportOpen());
    transport.on('message', (bytes) => this.onMessage(bytes));
    transport.on('error', (err) => {
      this.lastTransportError = err;
      this.opts.logger.debug(`Transport error: ${err.message}`);
    });
    transport.on('close', (code, reason) => this.onTransportClose(code, reason));
    this.timer = timers.setTimeout(() => {
      this.end({
        established: false,
        reason: 'timeout',
        error: new SmartSocketError(
          'ERR_CONN_002',
          `No CONNECT answer within ${this.opts.timeout} ms`,
        ),
        reconnect: true,
      });
    }, this.opts.timeout);
    if (this.opts.openTimeout !== undefined)
      this.openTimer = timers.setTimeout(() => {
        if (this.state !== 'opening') return;
        this.end({
          established: false,
          reason: `${transport.name} timeout`,
          error: new SmartSocketError(
            'ERR_CONN_002',
            `The ${transport.name} transport did not open within ${this.opts.openTimeout} ms`,
          ),
          reconnect: true,
        });
      }, this.opts.openTimeout);
    transport.open();
  }

  /** The codec of this connection (undefined: plain frames). */
  get codec(): SessionCodec | undefined {
    return this.opts.codec;
  }

  /**
   * Encodes a frame through this connection's codec; `compress: false` never compresses it. A
   * promise when compressing is asynchronous, or while earlier frames still wait in the queue:
   * frames are compressed and sealed in call order (sealing counters follow the order frames
   * leave in). Hand the result to {@link send} at once.
   */
  encode(msg: MessageInit, compress = true): Uint8Array | Promise<Uint8Array> {
    const codec = this.opts.codec;
    return this.outbound
      ? this.outbound.then(() => encodeOutgoing(msg, codec, compress))
      : encodeOutgoing(msg, codec, compress);
  }

  /** Bytes batched for this turn plus what the transport has not written yet. */
  get bufferedAmount(): number {
    return this.batcher.pending + (this.opts.transport.bufferedAmount ?? 0);
  }

  /**
   * Queues an encoded frame for this turn's batch. A promise of one (from {@link encode};
   * undefined: dropped) takes its place in the queue, and later frames wait behind it.
   */
  send(frame: Uint8Array | Promise<Uint8Array | undefined>): void {
    if (this.state !== 'open' && this.state !== 'handshaking') return;
    if (!(frame instanceof Promise) && !this.outbound) {
      this.batcher.push(frame);
      return;
    }
    const tail: Promise<void> = (this.outbound ?? Promise.resolve())
      .then(() => frame)
      .then(
        (bytes) => {
          if (this.outbound === tail) this.outbound = undefined;
          // Straight into the batch: this frame's turn has come, whatever queued behind it.
          if (bytes && (this.state === 'open' || this.state === 'handshaking'))
            this.batcher.push(bytes);
        },
        (err: unknown) => {
          if (this.outbound === tail) this.outbound = undefined;
          this.opts.logger.debug(`Outgoing frame dropped: ${(err as Error)?.message ?? err}`);
        },
      );
    this.outbound = tail;
  }

  /** Ends the connection from the client side (DISCONNECT first when the session is open). */
  close(reason = 'client disconnect'): void {
    if (this.state === 'closed') return;
    let last: Promise<Uint8Array> | undefined;
    if (this.state === 'open') {
      // Never compressed and not queued: frames still being compressed or sealed are dropped
      // with the connection (their acks fail as on any disconnect). Sealed asynchronously
      // (WebCrypto), the DISCONNECT goes out when ready, the transport closing right after.
      const bye = encodeOutgoing(
        { type: FrameType.DISCONNECT, namespace: this.opts.namespace, data: { reason } },
        this.opts.codec,
        false,
      );
      if (bye instanceof Promise) last = bye;
      else this.batcher.push(bye);
      this.batcher.flush();
    }
    this.end(
      { established: this.state === 'open', reason, reconnect: false },
      CloseCode.NORMAL,
      last,
    );
  }

  private frame(type: FrameType, data: unknown): Uint8Array | Promise<Uint8Array> {
    return this.encode({ type, namespace: this.opts.namespace, data });
  }

  private onTransportOpen(): void {
    if (this.state !== 'opening') return;
    this.opened = true;
    this.opts.timers.clearTimeout(this.openTimer);
    this.state = 'handshaking';
    this.send(this.frame(FrameType.CONNECT, this.opts.request));
  }

  private onMessage(bytes: Uint8Array): void {
    let frames: Frame[];
    try {
      frames = decodeFrames(bytes, this.decodeOptions());
    } catch (err) {
      this.fail(err, 'ERR_MSG_001');
      return;
    }
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i]!;
      if (this.state === 'closed') return;
      // Checked before anything is inflated: a heartbeat is echoed, and must stay small.
      const badHeartbeat = heartbeatProblem(frame, SEAL_OVERHEAD);
      if (badHeartbeat) {
        this.opts.logger.debug(`Heartbeat dropped: ${badHeartbeat.message}`);
        this.opts.onError(badHeartbeat);
        continue;
      }
      const waiting = this.inbound;
      const pending = waiting ? waiting.then(() => this.receive(frame)) : this.receive(frame);
      if (!pending) continue;
      const tail: Promise<void> = pending.then(() => {
        if (this.inbound === tail) this.inbound = undefined;
      });
      this.inbound = tail;
    }
  }

  /**
   * Opens and handles one received frame. A promise (that never rejects) when it inflates
   * asynchronously; {@link onMessage} then holds every later frame until it is done.
   */
  private receive(frame: Frame): Promise<void> | undefined {
    if (this.state === 'closed') return undefined;
    const handshaking = this.state === 'handshaking';
    const handle = (opened: Frame | undefined): void => {
      if (this.state === 'closed' || !opened) return;
      try {
        if (handshaking) this.onHandshakeFrame(opened);
        else this.onSessionFrame(opened);
      } catch (err) {
        this.fail(err, 'ERR_MSG_001');
      }
    };
    let opened: Frame | undefined | Promise<Frame | undefined>;
    try {
      opened = handshaking ? this.openHandshakeFrame(frame) : this.openSessionFrame(frame);
    } catch (err) {
      this.fail(err, 'ERR_MSG_001');
      return undefined;
    }
    if (!(opened instanceof Promise)) {
      handle(opened);
      return undefined;
    }
    return opened.then(handle, (err: unknown) => {
      if (this.state !== 'closed') this.fail(err, 'ERR_MSG_001');
    });
  }

  /**
   * Opens (and inflates) a frame after the handshake. One that does not open — unsealed while
   * encryption is on, tampered, corrupt or too large when inflated — is reported and dropped.
   */
  private openSessionFrame(frame: Frame): Frame | undefined | Promise<Frame | undefined> {
    const dropped = (err: unknown): undefined => {
      const error =
        err instanceof SmartSocketError
          ? err
          : new SmartSocketError('ERR_MSG_003', undefined, { cause: err });
      this.opts.logger.debug(`Frame type ${frame.type} dropped: ${error.code} ${error.message}`);
      if (this.state !== 'closed') this.opts.onError(error);
      return undefined;
    };
    try {
      const opened = openIncoming(frame, this.opts.codec);
      return opened instanceof Promise ? opened.catch(dropped) : opened;
    } catch (err) {
      return dropped(err);
    }
  }

  /**
   * A frame received during the handshake, with its plain section. With encryption on, the
   * server refuses a CONNECT it cannot open with an unsealed ERROR (it has no key to seal with):
   * that is accepted here, during the handshake only. Anything else must open.
   */
  private openHandshakeFrame(frame: Frame): Frame | Promise<Frame> {
    if (frame.type === FrameType.ERROR && (frame.flags & FrameFlag.ENCRYPTED) === 0)
      return frame.flags & FrameFlag.COMPRESSED ? openIncoming(frame, undefined) : frame;
    const failed = (cause: unknown): never => {
      throw new SmartSocketError(
        'ERR_CONN_003',
        `Handshake failed: ${(cause as Error).message ?? 'unreadable frame'}`,
        { cause },
      );
    };
    try {
      const opened = openIncoming(frame, this.opts.codec);
      return opened instanceof Promise ? opened.catch(failed) : opened;
    } catch (cause) {
      return failed(cause);
    }
  }

  /** A frame received during the handshake, already opened. */
  private onHandshakeFrame(frame: Frame): void {
    switch (frame.type) {
      case FrameType.CONNECT: {
        let answer: HandshakeAnswer;
        try {
          answer = parseHandshakeAnswer(decodeFrameData(frame));
        } catch (cause) {
          throw new SmartSocketError(
            'ERR_CONN_003',
            'Handshake failed: unreadable CONNECT answer',
            { cause },
          );
        }
        this.answer = answer;
        // A transport that merges messages (polling) must not merge past what the server takes.
        this.opts.transport.maxMessageBytes = answer.maxPayload;
        this.opts.codec?.negotiate(answer);
        this.state = 'open';
        this.opts.timers.clearTimeout(this.timer);
        this.startHeartbeat(answer);
        this.opts.onReady(answer);
        return;
      }
      case FrameType.ERROR: {
        const error = SmartSocketError.fromPayload(decodeFrameData(frame));
        this.end({
          established: false,
          reason: error.message,
          error,
          reconnect: !FATAL.has(error.code),
        });
        return;
      }
      case FrameType.DISCONNECT: {
        const body = this.disconnectBody(frame);
        const error = new SmartSocketError('ERR_CONN_001', `Refused: ${body.reason}`);
        this.end(
          { established: false, reason: body.reason, error, reconnect: body.reconnect },
          CloseCode.NORMAL,
        );
        return;
      }
      case FrameType.HEARTBEAT:
        this.answerHeartbeat(frame);
        return;
      default:
        throw new SmartSocketError(
          'ERR_CONN_003',
          `Handshake failed: frame type ${frame.type} before CONNECT answer`,
        );
    }
  }

  /** Decode limits: the larger of the default and the server's `maxPayload` (one object per answer). */
  private decodeOptions(): { maxPayload: number } {
    const answer = this.answer;
    if (this.limits === undefined || this.limitsFor !== answer) {
      this.limitsFor = answer;
      this.limits = { maxPayload: Math.max(DEFAULT_MAX_PAYLOAD, answer?.maxPayload ?? 0) };
    }
    return this.limits;
  }

  private onSessionFrame(frame: Frame): void {
    if (frame.namespace !== this.opts.namespace) {
      this.opts.logger.debug(`Frame for namespace ${frame.namespace} ignored`);
      return;
    }
    switch (frame.type) {
      case FrameType.HEARTBEAT:
        this.answerHeartbeat(frame);
        return;
      case FrameType.HEARTBEAT_ACK:
        this.heartbeat?.acknowledge(decodeFrameData(frame));
        return;
      case FrameType.DISCONNECT: {
        const { reason, reconnect } = this.disconnectBody(frame);
        this.end({ established: true, reason, reconnect }, CloseCode.NORMAL);
        return;
      }
      case FrameType.CONNECT:
        this.opts.logger.debug('Duplicate CONNECT answer ignored');
        return;
      default:
        this.opts.onFrame(frame);
    }
  }

  private disconnectBody(frame: Frame): { reason: string; reconnect: boolean } {
    let body: { reason?: unknown; reconnect?: unknown } | undefined;
    try {
      body = decodeFrameData(frame) as typeof body;
    } catch {
      body = undefined;
    }
    return {
      reason: typeof body?.reason === 'string' ? body.reason : 'server disconnect',
      reconnect: body?.reconnect === true,
    };
  }

  private answerHeartbeat(frame: Frame): void {
    // A cheap budget: a server sends one probe per idle period; a flood of them is not answered.
    const now = this.opts.timers.now();
    if (now - this.heartbeatsSince >= HEARTBEAT_BUDGET_WINDOW) {
      this.heartbeatsSince = now;
      this.heartbeatsAnswered = 0;
    }
    if (++this.heartbeatsAnswered > HEARTBEAT_BUDGET) return;
    const body = decodeFrameData(frame);
    const r = (body as { r?: unknown } | null)?.r;
    if (typeof r === 'number' && Number.isInteger(r) && r >= 0) this.opts.onReceived?.(r);
    // Re-encoded rather than echoed byte for byte: a sealed section is bound to its frame type.
    this.send(this.frame(FrameType.HEARTBEAT_ACK, body));
  }

  private startHeartbeat(answer: HandshakeAnswer): void {
    this.heartbeat = new Heartbeat({
      interval: this.opts.heartbeatInterval ?? answer.heartbeatInterval,
      timeout: this.opts.heartbeatTimeout ?? answer.heartbeatTimeout,
      timers: this.opts.timers,
      send: (payload) => this.send(this.frame(FrameType.HEARTBEAT, payload)),
      onDead: () =>
        this.end(
          {
            established: true,
            reason: 'heartbeat timeout',
            error: new SmartSocketError('ERR_CONN_006', 'Connection lost: no heartbeat answer'),
            reconnect: true,
          },
          CloseCode.ABNORMAL,
        ),
    });
    this.heartbeat.start();
  }

  private onTransportClose(code: number, reason: string): void {
    if (this.state === 'closed') return;
    const cause = this.lastTransportError;
    const mapped = CLOSE_CODE_ERRORS[code];
    let error: SmartSocketError;
    if (mapped) error = new SmartSocketError(mapped, reason || undefined, { cause });
    else if (this.state === 'opening')
      error = new SmartSocketError(
        'ERR_CONN_001',
        `Connection refused${cause ? `: ${cause.message}` : ''}`,
        { cause },
      );
    else if (this.state === 'handshaking')
      error = new SmartSocketError(
        'ERR_CONN_003',
        `Handshake failed: closed (${code}) before CONNECT answer`,
        { cause },
      );
    else
      error = new SmartSocketError(
        'ERR_CONN_006',
        `Connection lost (${code}${reason ? ` ${reason}` : ''})`,
        { cause },
      );
    this.end({
      established: this.state === 'open',
      reason: 'transport close',
      error,
      reconnect: !FATAL.has(error.code),
    });
  }

  private fail(err: unknown, fallback: ErrorCode): void {
    const error =
      err instanceof SmartSocketError
        ? err
        : new SmartSocketError(fallback, undefined, { cause: err });
    this.opts.logger.debug(`Closing after ${error.code}: ${error.message}`);
    this.end(
      {
        established: this.state === 'open',
        reason: error.message,
        error,
        reconnect: !FATAL.has(error.code),
      },
      CloseCode.ABNORMAL,
    );
  }

  private end(
    end: ConnectionEnd,
    closeCode: number = CloseCode.ABNORMAL,
    last?: Promise<Uint8Array>,
  ): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.opts.timers.clearTimeout(this.timer);
    this.opts.timers.clearTimeout(this.openTimer);
    this.heartbeat?.stop();
    this.batcher.discard();
    const { transport } = this.opts;
    const close = () => transport.close(closeCode, end.reason.slice(0, 120));
    if (last)
      last.then((bytes) => {
        transport.send(bytes);
        close();
      }, close);
    else close();
    this.opts.onEnd(end);
  }
}
