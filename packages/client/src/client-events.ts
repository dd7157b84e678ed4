// The listener half of the client: typed on/once/off over one emitter; listener errors contained.
import type { Logger } from '@smartsocket/logger';
import { EventEmitter } from 'eventemitter3';
import type {
  DefaultEventsMap,
  EventNames,
  EventsMap,
  ListenerOf,
  ReservedEventName,
} from './typed-events.js';

type AnyListener = (...args: any[]) => void;

/**
 * Typed listener registry for server events (`L`) and the client's own events. Events are
 * delivered through `emitSafe`, which logs a throwing listener instead of breaking the session.
 */
export abstract class ClientEvents<L extends EventsMap = DefaultEventsMap> {
  private readonly emitter = new EventEmitter();
  protected abstract readonly logger: Logger;

  /** Adds a listener for a server event (`(data, ack?)`) or a client event. */
  on<Ev extends ReservedEventName | EventNames<L>>(event: Ev, listener: ListenerOf<L, Ev>): this {
    this.emitter.on(event, listener as AnyListener);
    return this;
  }

  /** Like `on`, removed after the first call. */
  once<Ev extends ReservedEventName | EventNames<L>>(event: Ev, listener: ListenerOf<L, Ev>): this {
    this.emitter.once(event, listener as AnyListener);
    return this;
  }

  /** Removes `listener`, or every listener of `event` when no listener is given. */
  off<Ev extends ReservedEventName | EventNames<L>>(event: Ev, listener?: ListenerOf<L, Ev>): this {
    if (listener) this.emitter.off(event, listener as AnyListener);
    else this.emitter.removeAllListeners(event);
    return this;
  }

  /**
   * A server event to its listeners as `(data)` or `(data, ack)`: `emitSafe` without rest
   * arrays, as it runs once per received message.
   */
  protected emitData(event: string, data: unknown, ack?: (response?: unknown) => void): void {
    try {
      if (ack === undefined) this.emitter.emit(event, data);
      else this.emitter.emit(event, data, ack);
    } catch (err) {
      this.logger.error(
        `Listener of "${event}" threw: ${err instanceof Error ? err.stack : String(err)}`,
      );
    }
  }

  /** Runs the listeners of `event`; an exception in application code is logged. */
  protected emitSafe(event: string, ...args: unknown[]): void {
    try {
      this.emitter.emit(event, ...args);
    } catch (err) {
      this.logger.error(
        `Listener of "${event}" threw: ${err instanceof Error ? err.stack : String(err)}`,
      );
    }
  }
}
