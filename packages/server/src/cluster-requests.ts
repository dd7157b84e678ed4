// Bookkeeping of cluster requests: ids, the nodes still to answer, timeouts, broadcast-ack routing.
import { SmartSocketError } from '@smartsocket/protocol';

/** Called once per request: every answer in arrival order, or an error and the answers so far. */
export type RequestDone = (err: Error | null, responses: unknown[]) => void;

interface PendingRequest {
  missing: Set<string>;
  responses: unknown[];
  timer: ReturnType<typeof setTimeout>;
  done: RequestDone;
}

/** Routing of one broadcast with acks: other nodes' counts and acks go to the caller. */
interface PendingAck {
  clientCount(count: number): void;
  ack(response: unknown): void;
  timer: ReturnType<typeof setTimeout>;
  /** Nodes whose count has not arrived yet. */
  uncounted: Set<string>;
  expected: number;
  acked: number;
}

function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

/**
 * The requests one cluster adapter has in flight. Ids are unique per adapter (answers come back
 * on the adapter's own channel), count up from 1 and wrap at 2³²−1. Timers are unref'd.
 *
 * @example
 * const id = requests.open(['n1', 'n2'], 5000, (err, answers) => …);
 * requests.answer(id, 'n1', 'a'); requests.answer(id, 'n2', 'b'); // → done(null, ['a', 'b'])
 */
export class ClusterRequests {
  #lastId = 0;
  readonly #requests = new Map<number, PendingRequest>();
  readonly #acks = new Map<number, PendingAck>();

  /** A fresh request id (1…2³²−1). */
  nextId(): number {
    this.#lastId = this.#lastId >= 0xffff_ffff ? 1 : this.#lastId + 1;
    return this.#lastId;
  }

  /**
   * Waits for one answer from each of `nodes`. `done` runs once: when all answered (or left),
   * or after `timeout` ms with `ERR_ACK_001` and the answers so far.
   */
  open(nodes: Iterable<string>, timeout: number, done: RequestDone): number {
    const id = this.nextId();
    const timer = setTimeout(() => {
      const req = this.#requests.get(id);
      if (!req) return;
      const message = `${req.missing.size} node(s) did not answer within ${timeout} ms`;
      this.#settle(id, req, new SmartSocketError('ERR_ACK_001', message));
    }, timeout);
    unref(timer);
    this.#requests.set(id, { missing: new Set(nodes), responses: [], timer, done });
    return id;
  }

  /** Records `node`'s answer to request `id`; unknown ids and repeated answers are ignored. */
  answer(id: number, node: string, response: unknown): void {
    const req = this.#requests.get(id);
    if (!req?.missing.delete(node)) return;
    req.responses.push(response);
    if (req.missing.size === 0) this.#settle(id, req, null);
  }

  /** Drops request `id` without calling its `done` (it could not be sent). */
  cancel(id: number): void {
    const req = this.#requests.get(id);
    if (!req) return;
    this.#requests.delete(id);
    clearTimeout(req.timer);
  }

  /** Stops waiting for `node` (it said goodbye or went silent). */
  forgetNode(node: string): void {
    for (const [id, req] of this.#requests) {
      if (req.missing.delete(node) && req.missing.size === 0) this.#settle(id, req, null);
    }
    for (const [id, pending] of this.#acks) {
      if (!pending.uncounted.delete(node)) continue;
      pending.clientCount(0);
      this.#maybeDoneAck(id, pending);
    }
  }

  /**
   * Routes the counts and acks of a broadcast with acks sent to the other `nodes`, for at most
   * `timeout` ms (the caller runs its own timeout; this only bounds the routing entry). A node
   * that leaves before its count arrived counts as 0 recipients, so the caller completes with
   * the live nodes' answers instead of waiting for its timeout.
   */
  openAck(
    nodes: Iterable<string>,
    timeout: number,
    clientCount: (count: number) => void,
    ack: (response: unknown) => void,
  ): number {
    const id = this.nextId();
    const timer = setTimeout(() => this.#acks.delete(id), timeout);
    unref(timer);
    const uncounted = new Set(nodes);
    this.#acks.set(id, { clientCount, ack, timer, uncounted, expected: 0, acked: 0 });
    return id;
  }

  /** `node` reports how many of its clients received broadcast `id` (once per node). */
  ackCount(id: number, node: string, count: number): void {
    const pending = this.#acks.get(id);
    if (!pending?.uncounted.delete(node)) return;
    pending.expected += count;
    pending.clientCount(count);
    this.#maybeDoneAck(id, pending);
  }

  /** A remote client answered broadcast `id`. */
  ackResponse(id: number, response: unknown): void {
    const pending = this.#acks.get(id);
    if (!pending) return;
    pending.acked++;
    pending.ack(response);
    this.#maybeDoneAck(id, pending);
  }

  /**
   * The bus is gone: every request fails with `err`, and every broadcast with acks stops waiting
   * for the other nodes (each missing count reported as 0), so the caller completes with the
   * answers it has instead of running into its timeout.
   */
  abandonAll(err: Error): void {
    for (const [id, req] of this.#requests) this.#settle(id, req, err);
    for (const [id, pending] of this.#acks) {
      for (const node of [...pending.uncounted]) {
        pending.uncounted.delete(node);
        pending.clientCount(0);
      }
      this.#maybeDoneAck(id, pending);
    }
  }

  /** Settles every request with `err` and drops every ack route. */
  closeAll(err: Error): void {
    for (const [id, req] of this.#requests) this.#settle(id, req, err);
    for (const pending of this.#acks.values()) clearTimeout(pending.timer);
    this.#acks.clear();
  }

  /** Requests and ack routes in flight (for tests and diagnostics). */
  get size(): number {
    return this.#requests.size + this.#acks.size;
  }

  #maybeDoneAck(id: number, pending: PendingAck): void {
    if (pending.uncounted.size === 0 && pending.acked >= pending.expected) {
      clearTimeout(pending.timer);
      this.#acks.delete(id);
    }
  }

  #settle(id: number, req: PendingRequest, err: Error | null): void {
    this.#requests.delete(id);
    clearTimeout(req.timer);
    req.done(err, req.responses);
  }
}
