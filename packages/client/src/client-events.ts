// The listener half of the client: typed on/once/off over one emitter; listener errors reported.
import type { Logger } from '@smartsocket/logger';
import { AppEmitter, SmartSocketError } from '@smartsocket/protocol';
import type {
  DefaultEventsMap,
  EventNames,
  EventsMap,
  ListenerOf,
  ReservedEventName,
} from './typed-events.js';

type AnyListener = (...args: any[]) => void;

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * Typed listener registry for server events (`L`) and the client's own events. Every listener
 * runs through the protocol's `callApp` door: one that throws or rejects never breaks the session
 * nor the host; it is logged and reported on the `error` event (an `error` listener's own failure
 * is only logged, so a faulty one cannot loop).
 */
export abstract class ClientEvents<L extends EventsMap = DefaultEventsMap> {
  private readonly emitter = new AppEmitter();
  protected abstract readonly logger: Logger;

  /** Where a failing listener, ack callback or other app callback is reported. */
  protected readonly reportAppError = (err: unknown): void => {
    this.logger.error(`Application error in a listener or callback: ${describe(err)}`);
    const error =
      err instanceof SmartSocketError
        ? err
        : new SmartSocketError(
            'ERR_CONFIG_001',
            'A listener or callback of the application failed',
            { cause: err },
          );
    this.emitter.emit(this.errorListenerFailed, 'error', error);
  };

  private readonly errorListenerFailed = (err: unknown): void => {
    this.logger.error(`An "error" listener threw: ${describe(err)}`);
  };

  /** How many listeners `event` has. */
  protected listenerCount(event: string): number {
    return this.emitter.listenerCount(event);
  }

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
    this.emitter.off(event, listener as AnyListener | undefined);
    return this;
  }

  /**
   * A server event to its listeners as `(data)` or `(data, ack)`: `emitSafe` without rest
   * arrays, as it runs once per received message.
   */
  protected emitData(event: string, data: unknown, ack?: (response?: unknown) => void): void {
    if (ack === undefined) this.emitter.emit(this.reportAppError, event, data);
    else this.emitter.emit(this.reportAppError, event, data, ack);
  }

  /** Runs the listeners of `event`; a failure of application code is reported, never thrown. */
  protected emitSafe(event: string, ...args: unknown[]): void {
    this.emitter.emit(
      event === 'error' ? this.errorListenerFailed : this.reportAppError,
      event,
      ...args,
    );
  }
}
