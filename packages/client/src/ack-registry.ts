// Pending acknowledgements: ids per connection, one timeout each, settled exactly once.
import { MAX_ACK_ID, SmartSocketError } from '@smartsocket/protocol';
import type { TimerProvider } from './timers.js';

/** Settles one ack: an error (timeout, rejection, refusal) or the peer's response. */
export type AckSettler = (err: SmartSocketError | null, response?: unknown) => void;

/** One acknowledgement the client waits for. */
export interface PendingAck {
  readonly event: string;
  /** Ack id on the current connection, once the EVENT has been sent. */
  id: number | undefined;
  settle: AckSettler;
  timer: unknown;
}

/**
 * Tracks acks from `emit` until the server answers, the timeout fires, or the connection goes.
 * An ack is created (and its timer started) when the user emits; it gets an id only when its
 * EVENT frame is actually sent, so queued emits take fresh ids on the connection they go out on.
 *
 * @example
 * const p = acks.create('save', 5000, (err, res) => {});
 * const ackId = acks.bind(p); // put ackId in the EVENT frame
 * acks.resolve(ackId, response);
 */
export class AckRegistry {
  private readonly all = new Set<PendingAck>();
  private readonly byId = new Map<number, PendingAck>();
  private nextId = 1;

  constructor(private readonly timers: TimerProvider) {}

  /** Number of acks not yet settled. */
  get size(): number {
    return this.all.size;
  }

  /** Registers an ack and starts its timeout (`ERR_ACK_001`). */
  create(event: string, timeout: number, settle: AckSettler): PendingAck {
    const pending: PendingAck = { event, id: undefined, settle, timer: undefined };
    pending.timer = this.timers.setTimeout(
      () =>
        this.fail(
          pending,
          new SmartSocketError('ERR_ACK_001', 'Acknowledgment timeout', { event }),
        ),
      timeout,
    );
    this.all.add(pending);
    return pending;
  }

  /** Gives `pending` the next ack id of this connection (1, 2, … wrapping at 2^32). */
  bind(pending: PendingAck): number {
    let id = this.nextId;
    while (this.byId.has(id)) id = id >= MAX_ACK_ID ? 1 : id + 1;
    this.nextId = id >= MAX_ACK_ID ? 1 : id + 1;
    pending.id = id;
    this.byId.set(id, pending);
    return id;
  }

  /** Settles the ack `id` with the peer's response; false when the id is unknown. */
  resolve(id: number, response: unknown): boolean {
    const pending = this.byId.get(id);
    if (!pending) return false;
    this.finish(pending);
    pending.settle(null, response);
    return true;
  }

  /** Settles the ack `id` with an error (an ERROR frame carrying `ackId`); false when unknown. */
  reject(id: number, err: SmartSocketError): boolean {
    const pending = this.byId.get(id);
    if (!pending) return false;
    this.fail(pending, err);
    return true;
  }

  /** Settles `pending` with `err` unless it is already settled. */
  fail(pending: PendingAck, err: SmartSocketError): void {
    if (!this.all.has(pending)) return;
    this.finish(pending);
    pending.settle(err);
  }

  /** Fails every ack already sent on the current connection and restarts ids at 1. */
  failSent(err: SmartSocketError): void {
    for (const pending of [...this.byId.values()]) this.fail(pending, err);
    this.nextId = 1;
  }

  /** Fails every pending ack (sent or still queued). */
  failAll(err: SmartSocketError): void {
    for (const pending of [...this.all]) this.fail(pending, err);
    this.nextId = 1;
  }

  private finish(pending: PendingAck): void {
    this.timers.clearTimeout(pending.timer);
    this.all.delete(pending);
    if (pending.id !== undefined) this.byId.delete(pending.id);
  }
}
