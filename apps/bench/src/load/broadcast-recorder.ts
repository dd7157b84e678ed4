// Records broadcast deliveries on every client: latency from the server's send time (shared
// monotonic clock), the last arrival per broadcast, and completion when every client has all.
import { nowMs } from '../clock.js';
import { SampleBuffer } from './sample-buffer.js';

/** Reply of `bcastWait`. */
export interface BroadcastReceipt {
  deliveries: number;
  expected: number;
  latencies: Float64Array;
  /** Per broadcast sequence number: latency of its last delivery (ms). */
  lastPerSeq: Float64Array;
  /** Clock time of the very last delivery. */
  lastAt: number;
  /** CPU µs this load process spent between arming and the last delivery. */
  cpu: number;
}

/** Counts deliveries of `count` broadcasts to `clients` receivers. */
export class BroadcastRecorder {
  private deliveries = 0;
  private lastAt = 0;
  private readonly expected: number;
  private readonly samples = new SampleBuffer();
  private readonly lastPerSeq: Float64Array;
  private done: (() => void) | undefined;
  private readonly cpuAtArm = process.cpuUsage();
  private cpuAtEnd: NodeJS.CpuUsage | undefined;

  constructor(clients: number, count: number) {
    this.expected = clients * count;
    this.lastPerSeq = new Float64Array(count);
  }

  record(data: { seq: number; t: number }): void {
    const at = nowMs();
    const latency = at - data.t;
    this.deliveries++;
    this.lastAt = at;
    this.samples.push(latency);
    if (latency > (this.lastPerSeq[data.seq] ?? 0)) this.lastPerSeq[data.seq] = latency;
    if (this.deliveries === this.expected) {
      this.cpuAtEnd = process.cpuUsage(this.cpuAtArm);
      this.done?.();
    }
  }

  /** Resolves when every delivery arrived, or after timeoutMs with what arrived. */
  async wait(timeoutMs: number): Promise<BroadcastReceipt> {
    if (this.deliveries < this.expected) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.done = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return {
      deliveries: this.deliveries,
      expected: this.expected,
      latencies: this.samples.take(),
      lastPerSeq: this.lastPerSeq,
      lastAt: this.lastAt,
      cpu: (() => {
        const d = this.cpuAtEnd ?? process.cpuUsage(this.cpuAtArm);
        return d.user + d.system;
      })(),
    };
  }
}
