// Microtask batching: frames produced within one event-loop turn leave as few transport messages.
import { concatFrames } from '@smartsocket/protocol';

/**
 * Collects encoded frames and hands them to `write` together (back to back, order kept) in a
 * microtask, so a burst of emits costs one WebSocket message. A message never holds more than
 * `limit()` bytes (the server's `maxPayload`): a burst that adds up to more is split into several
 * messages, and a frame that is alone past the limit goes as its own message (the server allows
 * one frame's header on top of `maxPayload`).
 *
 * @example
 * const batcher = new FrameBatcher((bytes) => transport.send(bytes), () => maxPayload);
 * batcher.push(frameA); batcher.push(frameB); // one write of A‖B after this turn
 */
export class FrameBatcher {
  private frames: Uint8Array[] = [];
  private bytes = 0;
  private scheduled = false;
  private generation = 0;

  constructor(
    private readonly write: (bytes: Uint8Array) => void,
    private readonly limit: () => number = () => Number.POSITIVE_INFINITY,
  ) {}

  /** Bytes collected and not yet handed to `write`. */
  get pending(): number {
    return this.bytes;
  }

  push(frame: Uint8Array): void {
    this.frames.push(frame);
    this.bytes += frame.length;
    if (this.scheduled) return;
    this.scheduled = true;
    const generation = this.generation;
    queueMicrotask(() => {
      if (generation === this.generation) this.flush();
    });
  }

  /** Writes everything collected so far, in as few messages as the limit allows. */
  flush(): void {
    this.scheduled = false;
    if (this.frames.length === 0) return;
    const frames = this.frames;
    const total = this.bytes;
    this.frames = [];
    this.bytes = 0;
    const limit = this.limit();
    if (total <= limit) {
      this.write(concatFrames(frames));
      return;
    }
    let start = 0;
    let size = 0;
    for (let i = 0; i < frames.length; i++) {
      const n = frames[i]!.length;
      if (i > start && size + n > limit) {
        this.write(concatFrames(frames.slice(start, i)));
        start = i;
        size = 0;
      }
      size += n;
    }
    this.write(concatFrames(frames.slice(start)));
  }

  /** Drops the frames not yet written (the connection they were meant for is gone). */
  discard(): void {
    this.frames = [];
    this.bytes = 0;
    this.scheduled = false;
    this.generation++;
  }
}
