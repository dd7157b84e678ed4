// Microtask batching: frames produced within one event-loop turn leave as one transport message.
import { concatFrames } from '@smartsocket/protocol';

/**
 * Collects encoded frames and hands them to `write` together (back to back, order kept) in a
 * microtask, so a burst of emits costs one WebSocket message.
 *
 * @example
 * const batcher = new FrameBatcher((bytes) => transport.send(bytes));
 * batcher.push(frameA); batcher.push(frameB); // one write of A‖B after this turn
 */
export class FrameBatcher {
  private frames: Uint8Array[] = [];
  private scheduled = false;
  private generation = 0;

  constructor(private readonly write: (bytes: Uint8Array) => void) {}

  push(frame: Uint8Array): void {
    this.frames.push(frame);
    if (this.scheduled) return;
    this.scheduled = true;
    const generation = this.generation;
    queueMicrotask(() => {
      if (generation === this.generation) this.flush();
    });
  }

  /** Writes everything collected so far at once. */
  flush(): void {
    this.scheduled = false;
    if (this.frames.length === 0) return;
    const frames = this.frames;
    this.frames = [];
    this.write(concatFrames(frames));
  }

  /** Drops the frames not yet written (the connection they were meant for is gone). */
  discard(): void {
    this.frames = [];
    this.scheduled = false;
    this.generation++;
  }
}
