// Records what a client receives, so a test can wait for an event that may already have arrived.
import type { SmartSocketClient } from '@smartsocket/client';

type Pred = (data: any) => boolean;

export class Inbox {
  readonly received: { event: string; data: any }[] = [];
  readonly #waiters: { event: string; pred: Pred; resolve: (data: any) => void }[] = [];

  constructor(client: SmartSocketClient<any, any>, events: readonly string[]) {
    for (const event of events)
      client.on(event, (data: unknown) => {
        this.received.push({ event, data });
        for (const w of [...this.#waiters])
          if (w.event === event && w.pred(data)) {
            this.#waiters.splice(this.#waiters.indexOf(w), 1);
            w.resolve(data);
          }
      });
  }

  /** The first `event` (received before or after this call) whose data matches `pred`. */
  waitFor(event: string, pred: Pred = () => true): Promise<any> {
    const found = this.received.find((r) => r.event === event && pred(r.data));
    if (found) return Promise.resolve(found.data);
    return new Promise((resolve) => this.#waiters.push({ event, pred, resolve }));
  }
}
