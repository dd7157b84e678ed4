// `socket.volatile` / `socket.compress(b)` / `socket.timeout(ms)`: an immutable emitter with flags.
import { checkEmitArgs } from '@smartsocket/protocol';
import type {
  AckResponseOf,
  DefaultEventsMap,
  EventNames,
  EventsMap,
  TimeoutAckParams,
} from './typed-events.js';

/** Flags of a socket-level emit (`socket.volatile`, `.compress()`, `.timeout()`). */
export interface EmitFlags {
  volatile?: boolean;
  compress?: boolean;
  timeout?: number;
}

/** What an emitter needs from its socket (an interface, so this module does not import it). */
export interface EmitterSocket<Emit extends EventsMap> {
  /** @internal Queues one emit; false when not sent. */
  _emit(
    event: string,
    data: unknown,
    ack: ((...args: never[]) => void) | undefined,
    flags: EmitFlags,
  ): boolean;
  /** @internal Whether the buffer is within half the bound. */
  _hasRoom(): boolean;
  emitWithAck<E extends EventNames<Emit>>(
    event: E,
    data?: Parameters<Emit[E]>[0],
    options?: EmitFlags,
  ): Promise<AckResponseOf<Emit[E]>>;
}

/**
 * `socket.volatile`, `socket.compress(b)`, `socket.timeout(ms)`: an immutable emitter with flags.
 * With a timeout, the ack gets `(err, response)`; err is `ERR_ACK_001` when no answer came in time.
 */
export class SocketEmitter<Emit extends EventsMap = DefaultEventsMap> {
  constructor(
    private readonly socket: EmitterSocket<Emit>,
    private readonly flags: EmitFlags,
  ) {}

  get volatile(): SocketEmitter<Emit> {
    return new SocketEmitter(this.socket, { ...this.flags, volatile: true });
  }

  compress(compress: boolean): SocketEmitter<Emit> {
    return new SocketEmitter(this.socket, { ...this.flags, compress });
  }

  timeout(ms: number): SocketEmitter<Emit> {
    return new SocketEmitter(this.socket, { ...this.flags, timeout: ms });
  }

  emit<E extends EventNames<Emit>>(event: E, ...args: TimeoutAckParams<Emit[E]>): boolean {
    checkEmitArgs(event, args);
    return (
      this.socket._emit(event, args[0], args[1] as never, this.flags) && this.socket._hasRoom()
    );
  }

  emitWithAck<E extends EventNames<Emit>>(
    event: E,
    data?: Parameters<Emit[E]>[0],
  ): Promise<AckResponseOf<Emit[E]>> {
    return this.socket.emitWithAck(event, data, this.flags);
  }
}
