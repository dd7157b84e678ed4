// One transport connection: frame decoding, the CONNECT handshake, liveness, errors, closing.
import { randomUUID } from 'node:crypto';
import type { CipherKey, SequencedKey, SessionCipher } from '@smartsocket/crypto';
import { SEAL_OVERHEAD } from '@smartsocket/crypto';
import {
  decodeFrames,
  type Frame,
  FrameFlag,
  FrameType,
  heartbeatProblem,
  isSmartSocketError,
  SmartSocketError,
} from '@smartsocket/protocol';
import type { AdmissionTicket } from './admission.js';
import {
  type AcceptedConnect,
  type ConnectionRequest,
  connectAnswer,
  readConnect,
} from './connect-handshake.js';
import type { PeerCaps } from './handshake.js';
import { Pushed, SendQueue, type SendQueueOwner } from './send-queue.js';
import type { ServerContext } from './server-context.js';
import { newSessionToken } from './session-store.js';
import type { WireForms } from './shared-frame.js';
import { Socket } from './socket.js';
import type { SocketLink } from './socket-link.js';
import { SocketRecovery } from './socket-recovery.js';
import type { LoggedPacket } from './stream-log.js';
import { CloseCode, isCleanClose, type Transport, type TransportHandlers } from './transport.js';

type State = 'handshake' | 'authenticating' | 'open' | 'closed';

// Frames a client may pipeline behind its CONNECT while `authenticate` runs (and at most
// `maxPayload` bytes of them in all).
const MAX_HELD_FRAMES = 256;
// Control budget: HEARTBEAT/HEARTBEAT_ACK frames (and answers to a duplicate CONNECT) answered
// per CONTROL_WINDOW ms; past it they go unanswered, past CONTROL_FLOOD of them in one window the
// peer is disconnected. A client sends one heartbeat per interval; this only stops echo floods.
const CONTROL_WINDOW = 1000;
const CONTROL_BUDGET = 64;
const CONTROL_FLOOD = CONTROL_BUDGET * 10;
// Decode with no per-section limit: the transport bounds the message and `maxPayload` is checked
// per frame below, so an oversized section gets an ERROR naming its event and ack id.
const NO_LIMIT = { maxPayload: 0xffff_ffff };
// Frames that fail authentication (ERR_MSG_003) before the peer is disconnected.
const MAX_BAD_FRAMES = 3;
// Liveness times are int32 ms since this base (`clock()`): V8 keeps them as small integers in
// the object instead of one boxed double per field and connection. They wrap after 24.8 days;
// elapsed times are taken with `(a - b) | 0`, which is exact for spans under 24.8 days.
const CLOCK_BASE = Date.now();
function clock(): number {
  return (Date.now() - CLOCK_BASE) | 0;
}
// Why a link may end with its session kept for recovery (any other end is final).
const RECOVERABLE = new Set([
  'transport close',
  'transport error',
  'ping timeout',
  'slow consumer',
]);
// Until CONNECT is accepted: no compression, binary on (shared, never mutated).
const NO_CAPS: PeerCaps = Object.freeze({ compression: Object.freeze([]) as never, binary: true });

/**
 * The server side of one transport connection. Before CONNECT it only accepts CONNECT and
 * HEARTBEAT; afterwards it hands EVENT/ACK frames to its {@link Socket}. Every outgoing frame goes
 * through `write` → the send queue (microtask batching, volatile drops).
 */
export class Connection implements TransportHandlers, SendQueueOwner, SocketLink {
  state = 'handshake' as State;
  caps: PeerCaps = NO_CAPS;
  /** The shared key the CONNECT opened with (encryption on): the one key rotation retires. */
  key: CipherKey | undefined;
  /** This session's keys, derived from `key` and both nonces: every frame in and out is sealed. */
  cipher: SessionCipher | undefined;
  /** The namespace's broadcast group key under `key`. */
  groupKey: SequencedKey | undefined;
  socket: Socket | undefined;
  /** When the last frame was received (`clock()`). */
  lastSeen: number;
  /** Whether a liveness probe is outstanding, and when it was sent (`clock()`). */
  probing = false;
  probeAt = 0;
  /** When the connection opened (`clock()`). */
  readonly openedAt: number;
  readonly queue: SendQueue;
  /** The admission slot this connection holds, released when it closes. */
  ticket: AdmissionTicket | undefined;
  #held: Frame[] | undefined;
  #heldBytes = 0;
  #badFrames = 0;
  #controlCount = 0;
  #controlSince = 0;

  constructor(
    readonly ctx: ServerContext,
    readonly transport: Transport,
    /** Where the connection came from; the socket's handshake (a superset) once accepted. */
    public request: ConnectionRequest,
    private readonly onClosed: (conn: Connection, reason: string) => void,
  ) {
    this.openedAt = this.lastSeen = clock();
    this.queue = new SendQueue(transport, ctx.opts.maxBufferedBytes, ctx, this);
    // The connection is its own handler object: no closures per connection.
    transport.setHandlers(this);
  }

  /** @internal TransportHandlers: one transport message. */
  onMessage(bytes: Uint8Array): void {
    this.receive(bytes);
  }

  /** @internal TransportHandlers: the transport is gone. */
  onClose(code: number): void {
    this.#closed(isCleanClose(code) ? 'transport close' : 'transport error');
  }

  /** @internal TransportHandlers: the transport wrote out what it held. */
  onDrain(): void {
    if (this.state === 'closed') return;
    this.queue.flush();
    this.socket?._drained();
  }

  /** @internal SendQueueOwner: a queued frame waiting for an ack was discarded. */
  ackDropped(ackId: number): void {
    this.socket?._ackDropped(ackId);
  }

  /**
   * Queues one encoded frame for this peer (the one send path); false when dropped. `ackId`
   * names the ack the frame waits for (failed at once if the frame is discarded later).
   */
  write(bytes: Uint8Array, volatile = false, ackId?: number, wire?: WireForms): boolean {
    if (this.state === 'closed') return false;
    const result = this.queue.push(bytes, volatile, ackId, wire);
    if (result === Pushed.OK) {
      const plain = this.ctx.pipeline.plainSizeOf(bytes);
      this.ctx.stats.messageOut(bytes.length, plain ?? bytes.length, plain !== undefined);
      return true;
    }
    if (result === Pushed.OVER) this.#cutSlowConsumer();
    return false;
  }

  /**
   * A recoverable peer that does not read: cut it (4008) instead of dropping anything. What
   * waits here is forgotten; the session's log has it for the recovery.
   */
  #cutSlowConsumer(): void {
    this.ctx.stats.slowConsumer();
    this.ctx.logger.debug(`Socket ${this.socket?.id} is a slow consumer, disconnecting it`);
    this.queue.discard();
    this.transport.close(CloseCode.SLOW_CONSUMER, 'slow consumer');
    this.#closed('slow consumer');
  }

  /** Sends an ERROR frame `{ code, message, event?, ackId?, retryAfter? }`. */
  sendError(err: SmartSocketError, namespace = this.socket?.nsp.name ?? '/'): void {
    this.write(
      this.ctx.pipeline.encode({ type: FrameType.ERROR, namespace, data: err.toJSON() }, this),
    );
  }

  /** Sends ERROR, then closes with the error's close code. */
  fail(err: SmartSocketError, reason: string = err.code): void {
    if (this.state === 'closed') return;
    this.ctx.logger.debug(
      `Closing connection from ${this.request.address}: ${err.code} ${err.message}`,
    );
    this.sendError(err);
    this.close(err.closeCode, reason);
  }

  /** Queues one replayed frame of a recovered session (outside the bound: it is logged anyway). */
  replay(bytes: Uint8Array): void {
    this.queue.pushReplay(bytes);
    this.ctx.stats.messageOut(bytes.length, bytes.length, false);
  }

  /** Flushes what is queued and closes the transport; `reason` goes to `disconnected`. */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.queue.flush();
    this.transport.close(code, reason.slice(0, 120));
    this.#closed(reason);
  }

  /** Drops the link at once, leaving its socket alone (its session moved to another link). */
  abandon(): void {
    if (this.state === 'closed') return;
    this.socket = undefined;
    this.transport.terminate();
    this.#closed('transport close');
  }

  /** Handles one transport message. Never throws. */
  receive(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    this.lastSeen = clock();
    this.probing = false;
    let frames: Frame[];
    try {
      frames = decodeFrames(bytes, NO_LIMIT);
    } catch (err) {
      this.fail(isSmartSocketError(err) ? err : new SmartSocketError('ERR_MSG_001'), 'parse error');
      return;
    }
    for (const frame of frames) {
      if ((this.state as State) === 'closed') return;
      try {
        this.#handle(frame);
      } catch (err) {
        // Only our own bugs get here; keep the connection and the process alive.
        this.ctx.reportError(err);
      }
    }
  }

  /** Liveness check run by the shared sweep timer. */
  sweep(now: number): void {
    const { connectionTimeout, heartbeatTimeout, handshakeTimeout } = this.ctx.opts;
    const t = (now - CLOCK_BASE) | 0;
    if (this.state === 'handshake' || this.state === 'authenticating') {
      if (((t - this.openedAt) | 0) >= handshakeTimeout)
        this.fail(new SmartSocketError('ERR_CONN_002', 'No CONNECT in time'), 'handshake timeout');
      return;
    }
    if (this.state !== 'open') return;
    this.socket!._pruneAcks(now);
    this.#reportReceived();
    if (!this.probing) {
      if (((t - this.lastSeen) | 0) >= connectionTimeout) {
        this.probing = true;
        this.probeAt = t;
        this.write(
          this.ctx.pipeline.encode(
            { type: FrameType.HEARTBEAT, namespace: this.socket!.nsp.name, data: { t: now } },
            this,
          ),
        );
      }
    } else if (((t - this.probeAt) | 0) >= heartbeatTimeout) {
      this.ctx.logger.debug(`Socket ${this.socket?.id} missed its heartbeat, dropping it`);
      this.transport.terminate();
      this.#closed('ping timeout');
    }
  }

  /**
   * Tells a sequenced client how far its frames were received (HEARTBEAT `{ r }`), so it can
   * forget what it kept for resending. Once per sweep tick, and only when it moved.
   */
  #reportReceived(): void {
    const recovery = this.socket!._recovery;
    if (recovery === undefined || recovery.received === recovery.reported) return;
    recovery.reported = recovery.received;
    const msg = {
      type: FrameType.HEARTBEAT,
      namespace: this.socket!.nsp.name,
      data: { r: recovery.received },
    };
    this.write(this.ctx.pipeline.encode(msg, this));
  }

  /** Whether a client frame is new (not a resent duplicate) on a sequenced session. */
  #fresh(frame: Frame): boolean {
    const recovery = this.socket!._recovery;
    if (recovery === undefined || frame.seq === undefined) return true;
    return recovery.accept(frame.seq);
  }

  #handle(received: Frame): void {
    let frame = received;
    const { type } = frame;
    const sealed = (frame.flags & FrameFlag.ENCRYPTED) !== 0;
    if (frame.data.length > this.ctx.opts.maxPayload + (sealed ? SEAL_OVERHEAD : 0)) {
      const err = new SmartSocketError(
        'ERR_MSG_004',
        `Data section exceeds ${this.ctx.opts.maxPayload} bytes`,
        {
          ...(frame.event ? { event: frame.event } : {}),
          ...(frame.ackId !== undefined && type === FrameType.EVENT ? { ackId: frame.ackId } : {}),
        },
      );
      if (this.state === 'open') this.sendError(err);
      else this.fail(err);
      return;
    }
    // Checked on the wire form, before anything is inflated or opened: an echo must never be
    // larger than what came in.
    const badHeartbeat = heartbeatProblem(frame, SEAL_OVERHEAD);
    if (badHeartbeat) {
      this.fail(badHeartbeat);
      return;
    }
    if (type === FrameType.CONNECT) {
      if (this.state === 'handshake') {
        this.#connect(frame);
        return;
      }
      if (this.#control()) this.sendError(new SmartSocketError('ERR_MSG_001', 'Duplicate CONNECT'));
      return;
    }
    // Before CONNECT the server answers nothing but one ERROR (no heartbeat echo): a peer that
    // never connects gets back no more than it sent.
    if (this.state === 'handshake') {
      this.fail(new SmartSocketError('ERR_MSG_001', 'Expected CONNECT first'));
      return;
    }
    if (this.state === 'authenticating') {
      this.#hold(frame);
      return;
    }
    if (type === FrameType.HEARTBEAT || type === FrameType.HEARTBEAT_ACK) {
      if (!this.#control()) return;
    }
    if (this.ctx.pipeline.encrypted) {
      const opened = this.#open(frame);
      if (!opened) return;
      frame = opened;
    }
    if (type === FrameType.HEARTBEAT) {
      this.#onHeartbeat(frame);
      return;
    }
    if (type === FrameType.HEARTBEAT_ACK) {
      this.#onHeartbeatAck(frame);
      return;
    }
    const socket = this.socket!;
    const recovery = socket._recovery;
    if (recovery?.previous !== undefined) {
      // The client got the answer (it sends nothing before it): the token it recovered with dies.
      this.ctx.recoverable?.delete(recovery.previous);
      recovery.previous = undefined;
    }
    if (frame.namespace !== socket.nsp.name && type !== FrameType.DISCONNECT) {
      // Answered within the control budget only: each answer is larger than a bare frame.
      if (this.#control())
        this.sendError(
          new SmartSocketError('ERR_MSG_005', `This connection serves ${socket.nsp.name}`),
        );
      return;
    }
    switch (type) {
      case FrameType.EVENT:
        if (this.#fresh(frame)) socket._onEvent(frame);
        return;
      case FrameType.ACK:
        if (this.#fresh(frame)) socket._onAck(frame);
        return;
      case FrameType.DISCONNECT:
        this.close(CloseCode.NORMAL, 'client disconnect');
        return;
      case FrameType.ERROR:
        this.ctx.logger.debug(`Socket ${socket.id} sent an ERROR frame`);
        return;
    }
  }

  /** Holds a frame pipelined behind CONNECT while `authenticate` runs; bounded in count and bytes. */
  #hold(frame: Frame): void {
    this.#held ??= [];
    this.#heldBytes += frame.aad.length + frame.data.length;
    if (this.#held.length >= MAX_HELD_FRAMES || this.#heldBytes > this.ctx.opts.maxPayload)
      this.fail(new SmartSocketError('ERR_MSG_004', 'Too much sent before CONNECT completed'));
    else this.#held.push(frame);
  }

  /**
   * Counts one control frame against the per-socket budget: true when it may be answered. Far
   * past the budget the peer is flooding: `ERR_RATE_001` and close.
   */
  #control(): boolean {
    const t = clock();
    if (((t - this.#controlSince) | 0) >= CONTROL_WINDOW) {
      this.#controlSince = t;
      this.#controlCount = 0;
    }
    const n = ++this.#controlCount;
    if (n <= CONTROL_BUDGET) return true;
    if (n > CONTROL_FLOOD)
      this.fail(new SmartSocketError('ERR_RATE_001', 'Too many control frames'), 'control flood');
    return false;
  }

  /** The opened frame, or undefined after answering `ERR_MSG_003` (3 of them: disconnect). */
  #open(frame: Frame): Frame | undefined {
    try {
      return this.ctx.pipeline.open(frame, this.cipher!);
    } catch {
      const err = new SmartSocketError(
        'ERR_MSG_003',
        (frame.flags & FrameFlag.ENCRYPTED) === 0
          ? 'Frame is not sealed'
          : 'Frame does not authenticate',
        {
          ...(frame.event ? { event: frame.event } : {}),
          ...(frame.ackId !== undefined && frame.type === FrameType.EVENT
            ? { ackId: frame.ackId }
            : {}),
        },
      );
      if (++this.#badFrames >= MAX_BAD_FRAMES) this.fail(err, 'decryption failed');
      else this.sendError(err);
      return undefined;
    }
  }

  #onHeartbeat(frame: Frame): void {
    let section: Uint8Array;
    try {
      section = this.ctx.pipeline.section(frame, this);
    } catch (err) {
      this.sendError(isSmartSocketError(err) ? err : new SmartSocketError('ERR_MSG_001'));
      return;
    }
    // Never compressed nor binary (checked on receipt): the echo is the same size as the probe.
    const head = { type: FrameType.HEARTBEAT_ACK, namespace: frame.namespace };
    this.write(this.ctx.pipeline.encodeSection(head, section, this));
    const rtt = this.#field(frame, 'rtt');
    if (rtt !== undefined && this.socket) {
      this.socket.latency = rtt;
      this.ctx.stats.latencySample(rtt);
    }
  }

  #onHeartbeatAck(frame: Frame): void {
    const t = this.#field(frame, 't');
    if (t !== undefined && this.socket) {
      const rtt = Math.max(0, Date.now() - t);
      this.socket.latency = rtt;
      this.ctx.stats.latencySample(rtt);
    }
  }

  /** A finite non-negative number field of a heartbeat body, if present and decodable. */
  #field(frame: Frame, key: string): number | undefined {
    if (frame.data.length === 0) return undefined;
    try {
      const body = this.ctx.pipeline.decodeData(frame, this) as Record<string, unknown> | null;
      const v = body?.[key];
      return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
    } catch {
      return undefined;
    }
  }

  #connect(frame: Frame): void {
    this.state = 'authenticating';
    const result = readConnect(this.ctx, frame, this, this.request);
    if (result instanceof Promise) void result.then((r) => this.#accepted(r));
    else this.#accepted(result);
  }

  #accepted(result: AcceptedConnect | SmartSocketError): void {
    if ((this.state as State) === 'closed') return;
    if (result instanceof SmartSocketError) {
      this.#refuse(result);
      return;
    }
    // The key may have retired while `authenticate` ran.
    if (result.key && !this.ctx.pipeline.ring?.accepts(result.key)) {
      this.#refuse(new SmartSocketError('ERR_CONN_004', 'Encryption key has been rotated'));
      return;
    }
    const { nsp, handshake } = result;
    this.caps = handshake.caps;
    // From here on every frame in both directions is sealed with keys derived from the key the
    // CONNECT used and both nonces; the answer itself with a key bound to the client's nonce.
    this.key = result.key;
    const keys =
      result.key && this.ctx.pipeline.sessions!.start(result.key, result.nonce!, nsp.name);
    const kept = result.resume && this.#recoverable(result.resume, nsp);
    let socket: Socket;
    if (kept) {
      socket = kept.socket;
      socket.handshake = handshake;
      socket._recovery!.previous = result.resume!.token;
      socket._recovery!.token = newSessionToken();
    } else {
      socket = new Socket(this.ctx, this, nsp, randomUUID(), handshake);
      if (this.caps.seq) socket._recovery = new SocketRecovery(this.ctx.opts.messageCacheSize);
    }
    // Live sessions are findable by token too: a client whose link dropped unnoticed (a polling
    // session still waiting for its next GET, a half-open TCP link) takes its session over.
    if (socket._recovery)
      for (const token of socket._recovery.tokens())
        this.ctx.recoverable?.save(token, socket, Number.POSITIVE_INFINITY);
    this.socket = socket;
    // The handshake carries the same headers, address and url: the request object can go.
    this.request = handshake;
    this.state = 'open';
    const recovery = socket._recovery;
    // Only a recoverable socket is cut when it does not read; any other loses its oldest frames.
    this.queue.slowConsumerCut = recovery !== undefined;
    const answer = connectAnswer(
      this.ctx,
      nsp.name,
      socket.id,
      randomUUID(),
      this.caps,
      keys?.answer,
      recovery && {
        session: recovery.token,
        recovered: kept !== undefined,
        received: recovery.received,
      },
    );
    this.write(
      this.ctx.pipeline.encode(answer, keys ? { caps: this.caps, cipher: keys.answerKey } : this),
    );
    this.cipher = keys?.cipher;
    this.groupKey = keys?.group;
    if (recovery) recovery.reported = recovery.received;
    // A recovered socket is still in its namespace and rooms: the missed packets go out first.
    if (kept) socket._reattach(this, kept.missed);
    else nsp._add(socket);
    const held = this.#held;
    this.#held = undefined;
    if (held) for (const f of held) if (this.state === 'open') this.#handle(f);
  }

  /**
   * The kept session a recovery request names, with what its client missed; undefined when it
   * cannot be recovered whole (unknown, used or expired token, another namespace, too much
   * missed, a position it never gave). A session that cannot be recovered ends at once.
   */
  #recoverable(
    resume: NonNullable<AcceptedConnect['resume']>,
    nsp: Socket['nsp'],
  ): { socket: Socket; missed: Array<[LoggedPacket, number]> } | undefined {
    const store = this.ctx.recoverable;
    const socket = store?.take(resume.token);
    if (
      socket === undefined ||
      !socket._alive ||
      !socket._recovery?.tokens().includes(resume.token)
    )
      return undefined;
    // Every token of the session dies here; the answer brings a new one.
    for (const token of socket._recovery.tokens()) store!.delete(token);
    if (!socket._detached) {
      // Taken over: the old link is dropped without ending the session.
      const old = socket._conn;
      socket._detach('transport close');
      old.abandon();
    }
    const missed =
      socket._detached && socket.nsp === nsp ? socket._recovery?.log.since(resume.at) : undefined;
    if (missed === undefined) {
      socket._expire();
      return undefined;
    }
    return { socket, missed };
  }

  #refuse(err: SmartSocketError): void {
    this.ctx.stats.connectionRejected();
    this.fail(err, 'handshake refused');
  }

  #closed(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.#held = undefined;
    this.#heldBytes = 0;
    // The server's own bookkeeping first: the socket's close runs `disconnected` listeners.
    this.onClosed(this, reason);
    const socket = this.socket;
    if (socket === undefined || socket._conn !== this) return;
    const store = this.ctx.recoverable;
    if (store && socket._recovery && socket._alive && RECOVERABLE.has(reason)) {
      socket._detach(reason);
      const expiresAt = Date.now() + this.ctx.opts.messageCacheTTL;
      for (const token of socket._recovery.tokens()) store.save(token, socket, expiresAt);
    } else socket._onClose(reason);
  }
}
