// Outgoing events: acks, the offline queue and the send path of EVENT frames (size check, batch).

import type { Logger } from '@smartsocket/logger';
import { FrameType, type MessageInit, SmartSocketError } from '@smartsocket/protocol';
import { AckRegistry, type AckSettler, type PendingAck } from './ack-registry.js';
import type { Connection } from './connection.js';
import type { HandshakeAnswer } from './handshake.js';
import { OfflineQueue } from './offline-queue.js';
import { dataSectionLength } from './section-codec.js';
import { SessionStream } from './session-stream.js';
import type { TimerProvider } from './timers.js';

/** An emit waiting in the offline queue. */
interface QueuedEmit {
  event: string;
  data: unknown;
  ack: PendingAck | undefined;
  /** False: never compress this emit (`client.compress(false)`). */
  compress: boolean;
}

/** How one emit is sent. */
export interface EmitFlags {
  /** Dropped instead of queued while disconnected. */
  volatile?: boolean;
  /** Ack timeout in ms (default `ackTimeout`). */
  timeout?: number;
  /** False: never compress it. */
  compress?: boolean;
}

/** What the outbox needs from the client. */
export interface OutboxOptions {
  namespace: string;
  ackTimeout: number;
  queueSize: number;
  queueMaxAge: number;
  timers: TimerProvider;
  logger: Logger;
  /** Reports an error nobody's ack can take (the client's `error` event). */
  onError: (err: SmartSocketError) => void;
}

/**
 * Every emit goes through here: with a live connection it is encoded, checked against the
 * server's `maxPayload` and batched; without one it waits in the offline queue (volatile emits
 * are dropped). Acks are registered at emit time so their timeout counts from the user's call.
 */
export class Outbox {
  readonly acks: AckRegistry;
  /** Sequencing of the session (kept across connections): what to resend, what was received. */
  readonly stream: SessionStream;
  private readonly queue: OfflineQueue<QueuedEmit>;
  private conn: Connection | undefined;
  private maxPayload = 0;

  constructor(private readonly opts: OutboxOptions) {
    this.acks = new AckRegistry(opts.timers);
    this.stream = new SessionStream(opts.queueSize);
    this.queue = new OfflineQueue<QueuedEmit>({
      size: opts.queueSize,
      maxAge: opts.queueMaxAge,
      now: () => opts.timers.now(),
      onDrop: (item, why) => {
        opts.logger.debug(`Offline queue: "${item.event}" dropped (${why})`);
        if (item.ack)
          this.failSoon(
            item.ack,
            new SmartSocketError('ERR_CONN_006', `Dropped from the offline queue (${why})`),
          );
      },
    });
  }

  /** Sends `event` now, queues it, or drops it (volatile while disconnected). */
  emit(event: string, data: unknown, settle: AckSettler | undefined, flags: EmitFlags = {}): void {
    const ack = settle
      ? this.acks.create(event, flags.timeout ?? this.opts.ackTimeout, settle)
      : undefined;
    const compress = flags.compress !== false;
    if (this.conn) this.send({ event, data, ack, compress });
    else if (flags.volatile) {
      this.opts.logger.debug(`Volatile "${event}" dropped: not connected`);
      if (ack)
        this.failSoon(
          ack,
          new SmartSocketError('ERR_CONN_006', 'Not connected (volatile emit dropped)'),
        );
    } else this.queue.push({ event, data, ack, compress });
  }

  /**
   * A session is up: later emits go to `conn`. A recovered session first resends what the
   * server had not received (same sequence numbers and ack ids); on a fresh one, acks sent on
   * the lost connection fail. Then the offline queue is flushed in order.
   */
  attach(conn: Connection, answer: HandshakeAnswer): void {
    const resend = this.stream.begin(answer.session, answer.recovered, answer.received ?? 0);
    if (!answer.recovered) this.#failSent();
    this.conn = conn;
    this.maxPayload = answer.maxPayload;
    for (const { msg, compress } of resend) conn.send(conn.encode(msg, compress));
    for (const item of this.queue.drain()) this.send(item);
  }

  /**
   * The connection is gone; emits queue again. Acks already sent fail with `ERR_CONN_006` —
   * on a sequenced session only once the next connection turns out not to recover it.
   */
  detach(): void {
    this.conn = undefined;
    if (!this.stream.active) this.#failSent();
  }

  #failSent(): void {
    this.acks.failSent(
      new SmartSocketError('ERR_CONN_006', 'Connection lost before the acknowledgment arrived'),
    );
  }

  /** `disconnect()`: every pending ack fails and the queue is emptied, so no timer is left. */
  clear(): void {
    this.stream.reset();
    this.detach();
    this.acks.failAll(new SmartSocketError('ERR_CONN_006', 'Client disconnected'));
    this.queue.clear();
  }

  /**
   * Answers the server's event `ackId` on a sequenced session: numbered, kept until the server
   * has it, resent after a recovery (sent at once when connected). False when not sequenced.
   */
  sendAck(ackId: number, response: unknown): boolean {
    if (!this.stream.active) return false;
    const msg = this.stream.stamp({
      type: FrameType.ACK,
      namespace: this.opts.namespace,
      ackId,
      data: response,
    });
    this.stream.keep(msg, true);
    this.conn?.send(this.conn.encode(msg));
    return true;
  }

  /** Bytes the live connection has batched or its transport has not written (0 without one). */
  get bufferedAmount(): number {
    return this.conn?.bufferedAmount ?? 0;
  }

  /** The send path of every EVENT: encode (+ compression/sealing), size check, batch. */
  private send({ event, data, ack, compress }: QueuedEmit): void {
    let head: MessageInit = {
      type: FrameType.EVENT,
      namespace: this.opts.namespace,
      event,
      ackId: ack ? this.acks.bind(ack) : undefined,
    };
    if (this.stream.active) head = this.stream.stamp(head);
    const conn = this.conn!;
    const refused = (err: unknown): undefined => {
      const coded =
        err instanceof SmartSocketError
          ? err
          : new SmartSocketError('ERR_MSG_001', undefined, { cause: err });
      this.refuse(ack, coded);
      return undefined;
    };
    // Frames over maxPayload after compression are refused here, not sent.
    const checked = (frame: Uint8Array): Uint8Array | undefined => {
      const size = dataSectionLength(frame, head);
      if (size <= this.maxPayload) return frame;
      const msg = `Message of ${size} bytes exceeds the server's maxPayload ${this.maxPayload}`;
      return refused(new SmartSocketError('ERR_MSG_004', msg, { event }));
    };
    let frame: Uint8Array | Promise<Uint8Array>;
    try {
      frame = conn.encode({ ...head, data }, compress);
    } catch (err) {
      refused(err);
      return;
    }
    // Numbered from here on (an asynchronous encode must not give its number to the next emit).
    if (head.seq !== undefined) this.stream.keep({ ...head, data, seq: head.seq }, compress);
    if (frame instanceof Promise) {
      // Compressing asynchronously (browser streams): the connection keeps its place in order.
      conn.send(frame.then(checked, refused));
      return;
    }
    const ok = checked(frame);
    if (ok) conn.send(ok);
  }

  /** A message refused locally: its ack gets the error, or the `error` event does. */
  private refuse(ack: PendingAck | undefined, err: SmartSocketError): void {
    this.opts.logger.warn(`${err.code}: ${err.message}`);
    if (ack) this.failSoon(ack, err);
    else queueMicrotask(() => this.opts.onError(err));
  }

  /** Settles an ack with `err` after the current call returns (never inside `emit`). */
  private failSoon(ack: PendingAck, err: SmartSocketError): void {
    queueMicrotask(() => this.acks.fail(ack, err));
  }
}
