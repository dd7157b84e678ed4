// Per-socket outgoing queue: frames of one event-loop turn leave as ONE transport message.
import { concatFrames } from '@smartsocket/protocol';
import { markShared } from './shared-frame.js';
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
  lastFrames = lastMessage = undefined;
}

/** What a queue reports to its server (one shared object, not closures per connection). */
export interface SendQueueHooks {
  /** One outgoing frame was dropped (volatile under backpressure, or the transport closed). */
  onDrop(): void;
  /** A write failed inside the flush microtask. */
  reportError(err: unknown): void;
}

/**
 * Collects frames for one socket and flushes them in a microtask: everything queued within one
 * event-loop turn is written as a single transport message (`concatFrames`), in order. A single
 * frame is written as is (no copy). Volatile frames are dropped when the transport already holds
 * more than `maxBufferedBytes` unsent bytes. All queues touched in a turn share one microtask.
 *
 * @example
 * queue.push(frameBytes, false); queue.push(other, false); // → one WebSocket message
 */
export class SendQueue {
  #frames: Uint8Array[] = [];
  #bytes = 0;
  #scheduled = false;

  constructor(
    private readonly transport: Transport,
    private readonly maxBufferedBytes: number,
    /** @internal */
    readonly hooks: SendQueueHooks,
  ) {}

  /** Bytes queued here plus bytes the transport has not written yet. */
  get pendingBytes(): number {
    return this.#bytes + this.transport.bufferedAmount;
  }

  /** Queues one encoded frame; returns false when it was dropped (volatile under backpressure). */
  push(bytes: Uint8Array, volatile: boolean): boolean {
    if (!this.transport.open || (volatile && this.pendingBytes > this.maxBufferedBytes)) {
      this.hooks.onDrop();
      return false;
    }
    this.#frames.push(bytes);
    this.#bytes += bytes.length;
    if (!this.#scheduled) {
      this.#scheduled = true;
      if (due.push(this) === 1) queueMicrotask(flushDue);
    }
    return true;
  }

  /** Writes everything queued now (also called before closing). */
  flush(): void {
    this.#scheduled = false;
    if (this.#frames.length === 0) return;
    const frames = this.#frames;
    let message: Uint8Array;
    if (frames.length === 1) {
      message = frames[0]!;
      frames.length = 0;
    } else if (lastFrames !== undefined && sameFrames(frames, lastFrames)) {
      message = lastMessage!;
      markShared(message);
      frames.length = 0;
    } else {
      message = concatFrames(frames);
      if (passing) {
        // Kept for the next socket of this pass; this queue starts a new array.
        lastFrames = frames;
        lastMessage = message;
        this.#frames = [];
      } else frames.length = 0;
    }
    this.#bytes = 0;
    this.transport.send(message);
  }
}
