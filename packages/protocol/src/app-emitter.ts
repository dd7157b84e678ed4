// A listener registry whose every listener is called through `callApp`: one throwing or rejecting
// listener is reported and never stops the others (unlike EventEmitter.emit). Pure, no timers.
import { callApp, type ErrorSink } from './app-call.js';

type Listener = (...args: any[]) => unknown;

interface Entry {
  readonly fn: Listener;
  readonly once: boolean;
}

const NONE: readonly Entry[] = Object.freeze([]);

/**
 * Application listeners by event name. `emit` snapshots the list (listeners added or removed
 * while it runs take effect on the next emit), removes `once` listeners before calling them, and
 * calls each through {@link callApp}, so a throw or a rejected promise goes to `sink` and the
 * remaining listeners still run.
 *
 * @example
 * const listeners = new AppEmitter();
 * listeners.on('disconnected', (reason) => cleanup(reason));
 * listeners.emit(reportError, 'disconnected', 'transport close');
 */
export class AppEmitter {
  #events = new Map<string, readonly Entry[]>();
  /** Whether any `once` listener was ever added (most emitters never have one: skip the scan). */
  #hadOnce = false;

  /** Adds `fn` for `event`. */
  on(event: string, fn: Listener): this {
    return this.#add(event, { fn, once: false });
  }

  /** Adds `fn` for the next `event` only. */
  once(event: string, fn: Listener): this {
    this.#hadOnce = true;
    return this.#add(event, { fn, once: true });
  }

  /** Removes the last registration of `fn` for `event`, or every listener of `event`. */
  off(event: string, fn?: Listener): this {
    const list = this.#events.get(event);
    if (!list) return this;
    if (fn === undefined) {
      this.#events.delete(event);
      return this;
    }
    let at = list.length - 1;
    while (at >= 0 && list[at]!.fn !== fn) at--;
    if (at === -1) return this;
    if (list.length === 1) this.#events.delete(event);
    else this.#events.set(event, [...list.slice(0, at), ...list.slice(at + 1)]);
    return this;
  }

  /** Removes every listener of every event. */
  removeAll(): void {
    this.#events.clear();
  }

  /** How many listeners `event` has. */
  listenerCount(event: string): number {
    return this.#events.get(event)?.length ?? 0;
  }

  /** The listener functions of `event` (a copy). */
  listeners(event: string): Listener[] {
    return (this.#events.get(event) ?? NONE).map((e) => e.fn);
  }

  /**
   * Calls every listener of `event` with `args`; failures go to `sink`. Returns whether there
   * was any listener.
   */
  emit(sink: ErrorSink, event: string, ...args: unknown[]): boolean {
    const list = this.#events.get(event);
    if (!list) return false;
    // The stored array is never mutated (add/off replace it): iterating it is a snapshot.
    if (this.#hadOnce && list.some((e) => e.once)) {
      const kept = list.filter((e) => !e.once);
      if (kept.length === 0) this.#events.delete(event);
      else this.#events.set(event, kept);
    }
    for (const entry of list) callApp(sink, entry.fn, ...args);
    return true;
  }

  #add(event: string, entry: Entry): this {
    const list = this.#events.get(event);
    this.#events.set(event, list ? [...list, entry] : [entry]);
    return this;
  }
}
