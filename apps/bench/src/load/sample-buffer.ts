// Growable Float64Array of latency samples with a hard cap, so a window never grows memory unbounded.

/** Collects numbers; once `cap` samples are held, further ones are counted but not stored. */
export class SampleBuffer {
  private data = new Float64Array(4096);
  private length = 0;
  dropped = 0;

  constructor(private readonly cap = 2_000_000) {}

  push(value: number): void {
    if (this.length === this.data.length) {
      if (this.length >= this.cap) {
        this.dropped++;
        return;
      }
      const next = new Float64Array(Math.min(this.cap, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  /** Returns a copy of the samples and empties the buffer. */
  take(): Float64Array {
    const out = this.data.slice(0, this.length);
    this.length = 0;
    this.dropped = 0;
    return out;
  }
}
