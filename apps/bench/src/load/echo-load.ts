// Echo load: every client keeps N messages in flight and sends the next one as each echo returns.
import { nowMs, padFor } from '../clock.js';
import { type BenchClient, EVENTS } from '../impls/types.js';
import { SampleBuffer } from './sample-buffer.js';

/** Reply of `echoMark`: what was received since the previous mark. */
export interface EchoMark {
  received: number;
  latencies: Float64Array;
  /** CPU µs of this load process (user + system) at the mark. */
  cpu: number;
}

/** Drives the echo scenario over a set of connected clients. */
export class EchoLoad {
  private running = false;
  private sent = 0;
  private received = 0;
  private receivedAtMark = 0;
  private readonly samples = new SampleBuffer();
  private drained: (() => void) | undefined;

  constructor(
    private readonly clients: readonly BenchClient[],
    private readonly payloadBytes: number,
  ) {}

  start(inFlight: number): void {
    this.running = true;
    const pad = padFor(this.payloadBytes, { t: nowMs() });
    for (const client of this.clients) {
      const send = () => {
        this.sent++;
        client.emit(EVENTS.echo, { t: nowMs(), pad });
      };
      client.on(EVENTS.echo, (data: { t: number }) => {
        this.received++;
        this.samples.push(nowMs() - data.t);
        if (this.running) send();
        else if (this.sent === this.received) this.drained?.();
      });
      for (let i = 0; i < inFlight; i++) send();
    }
  }

  /** Counts and latencies since the previous mark. */
  mark(): EchoMark {
    const received = this.received - this.receivedAtMark;
    this.receivedAtMark = this.received;
    const cpu = process.cpuUsage();
    return { received, latencies: this.samples.take(), cpu: cpu.user + cpu.system };
  }

  /** Stops sending and waits (bounded) for the messages still in flight. */
  async stop(timeoutMs: number): Promise<void> {
    this.running = false;
    if (this.sent === this.received) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
