// Per-socket outgoing queue: the byte bound, the drop policy, and one transport message per turn.
import { concatFrames } from '@smartsocket/protocol';
import type { WireForms } from './shared-frame.js';
import type { Transport } from './transport.js';

/** Queues with frames waiting for this turn's flush pass (one microtask for all of them). */
let due: SendQueue[] = [];

/**
 * The frames and message of the last multi-frame flush in this pass. Sockets that got the same
 * broadcasts in the same turn hold the very same frame instances in the same order: they share
 * one concatenation (copied once, WebSocket-framed once) instead of building one each.
 */
let lastFrames: Uint8Array[] | undefined;
let lastMessage: Uint8Array | undefined;
/** The wire-form cache of `lastMessage`, made when a second socket sends it. */
let lastWire: WireForms | undefined;
/** Whether a flush pass is running (only then is `lastFrames` kept: released at its end). */
let passing = false;

function sameFrames(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The one flush pass of a turn. A broadcast to N sockets costs one microtask here, not N
 * (Node's `queueMicrotask` builds an AsyncResource per call).
 */
function flushDue(): void {
  const queues = due;
  due = [];
  passing = true;
  for (let i = 0; i < queues.length; i++) {
    const queue = queues[i]!;
    // One failing socket must not leave the others' frames unsent (and unscheduled); the failure
    // is reported, never thrown: nothing could catch it in this microtask.
    try {
      queue.flush();
    } catch (error) {
      queue.hooks.reportError(error);
    }
  }
  passing = false;
  lastFrames = lastMessage = lastWire = undefined;
}

/** Why a frame was not queued (or was discarded after it was). */
export type DropReason = 'volatile' | 'oldest' | 'closed';

/** What a queue reports to its owner (shared objects, not closures per frame). */
export interface SendQueueHooks {
  /** One outgoing frame was dropped. */
  onDrop(reason: DropReason): void;
  /** A write failed inside the flush microtask. */
  reportError(err: unknown): void;
}

/** What a queue asks of its connection besides counting drops. */
export interface SendQueueOwner {
  /** A queued frame that waited for ack `ackId` was discarded: fail that ack now. */
  ackDropped(ackId: number): void;
}

/** Result of {@link SendQueue.push}. */
export const Pushed = {
  /** Queued. */
  OK: 0,
  /** Dropped (volatile past the bound, or the transport is closed). */
  DROPPED: 1,
  /** Not queued: the bound is reached and the owner must disconnect the slow consumer. */
  OVER: 2,
} as const;
export type PushResult = (typeof Pushed)[keyof typeof Pushed];

/** No ack on this queued frame. */
const NO_ACK = -1;

/**
 * Collects frames for one socket and flushes them in a microtask: everything queued within one
 * event-loop turn is written as a single transport message (`concatFrames`), in order. A single
 * frame is written as is (no copy). All queues touched in a turn share one microtask.
 *
 * The queue hands its frames to the transport only while the transport is not saturated (below
 * its own small high-water mark); the rest waits here, where it can still be dropped. What is queued plus what
 * the transport has not written stays within `maxBufferedBytes` (one frame larger than the bound
 * is accepted into an empty buffer): past it a volatile frame is dropped; otherwise, with
 * `slowConsumerCut`, `push` answers {@link Pushed.OVER} (the owner disconnects the peer), else the
 * oldest waiting frames are discarded (frames without an ack first) until the new one fits.
 *
 * @example
 * queue.push(frameBytes, false); queue.push(other, false); // → one WebSocket message
 */
export class SendQueue {
  #frames: Uint8Array[] = [];
  /** Per queued frame: its ack id, or NO_ACK. */
  #acks: number[] = [];
  /** Per queued frame: its wire-form cache when it is shared by many peers. */
  #wires: (WireForms | undefined)[] = [];
  #bytes = 0;
  #scheduled = false;

  constructor(
    private readonly transport: Transport,
    private readonly maxBufferedBytes: number,
    /** @internal */
    readonly hooks: SendQueueHooks,
    private readonly owner?: SendQueueOwner,
    /**
     * Whether a full buffer means "disconnect" (a recoverable socket: it recovers what it
     * missed) rather than "drop the oldest". Set once the session is known to be recoverable.
     */
    public slowConsumerCut = false,
  ) {}

  /** Bytes queued here plus bytes the transport has not written yet. */
  get pendingBytes(): number {
    return this.#bytes + this.transport.bufferedAmount;
  }

  /** Frames waiting here (not yet handed to the transport). */
  get length(): number {
    return this.#frames.length;
  }

  /**
   * Queues one encoded frame; see {@link Pushed}. `ackId`: the ack the frame waits for; `wire`:
   * the frame is shared by many peers (a broadcast), and this is its wire-form cache.
   */
  push(bytes: Uint8Array, volatile: boolean, ackId = NO_ACK, wire?: WireForms): PushResult {
    if (!this.transport.open) {
      this.hooks.onDrop('closed');
      return Pushed.DROPPED;
    }
    const pending = this.pendingBytes;
    if (pending > 0 && pending + bytes.length > this.maxBufferedBytes) {
      if (volatile) {
        this.hooks.onDrop('volatile');
        return Pushed.DROPPED;
      }
      if (this.slowConsumerCut) return Pushed.OVER;
      if (!this.#makeRoom(bytes.length)) {
        // What the transport already holds cannot be taken back: the new frame is the one left.
        this.hooks.onDrop('oldest');
        return Pushed.DROPPED;
      }
    }
    this.#frames.push(bytes);
    this.#acks.push(ackId);
    this.#wires.push(wire);
    this.#bytes += bytes.length;
    this.#schedule();
    return Pushed.OK;
  }

  /**
   * Queues a replayed frame of a recovered session whatever the bound: it is already held in
   * the session's log, and cutting the peer for it would only start the replay over.
   */
  pushReplay(bytes: Uint8Array): void {
    this.#frames.push(bytes);
    this.#acks.push(NO_ACK);
    this.#wires.push(undefined);
    this.#bytes += bytes.length;
    this.#schedule();
  }

  /** Writes what is queued now if the transport has room (also called before closing). */
  flush(force = false): void {
    this.#scheduled = false;
    if (this.#frames.length === 0) return;
    if (!force && this.transport.saturated) return; // resumed by the transport's drain
    const frames = this.#frames;
    let message: Uint8Array;
    let wire: WireForms | undefined;
    if (frames.length === 1) {
      message = frames[0]!;
      wire = this.#wires[0];
      frames.length = 0;
    } else if (lastFrames !== undefined && sameFrames(frames, lastFrames)) {
      message = lastMessage!;
      wire = lastWire ??= {};
      frames.length = 0;
    } else {
      message = concatFrames(frames);
      if (passing) {
        // Kept for the next socket of this pass; this queue starts a new array.
        lastFrames = frames;
        lastMessage = message;
        lastWire = undefined;
        this.#frames = [];
      } else frames.length = 0;
    }
    this.#acks.length = 0;
    this.#wires.length = 0;
    this.#bytes = 0;
    this.transport.send(message, wire);
  }

  /** Forgets every waiting frame (a cut slow consumer: the recovery log has them). */
  discard(): void {
    this.#frames = [];
    this.#acks = [];
    this.#wires = [];
    this.#bytes = 0;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    if (due.push(this) === 1) queueMicrotask(flushDue);
  }

  /** Discards the oldest waiting frames (ack-less ones first) until `size` more bytes fit. */
  #makeRoom(size: number): boolean {
    const limit = this.maxBufferedBytes - size;
    const buffered = this.transport.bufferedAmount;
    if (buffered > limit) return false;
    for (const withAcks of [false, true]) {
      for (let i = 0; i < this.#frames.length && this.#bytes + buffered > limit; ) {
        const ackId = this.#acks[i]!;
        if ((ackId !== NO_ACK) !== withAcks) {
          i++;
          continue;
        }
        this.#bytes -= this.#frames[i]!.length;
        this.#frames.splice(i, 1);
        this.#acks.splice(i, 1);
        this.#wires.splice(i, 1);
        this.hooks.onDrop('oldest');
        if (ackId !== NO_ACK) this.owner?.ackDropped(ackId);
      }
    }
    return this.#bytes + buffered <= limit;
  }
}
