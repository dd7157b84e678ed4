// Generic event maps (like Socket.IO's ServerToClientEvents / ClientToServerEvents) and helpers.

/**
 * An event map: event name → handler signature `(data, ack?) => void`. The optional last
 * function parameter is the ack callback; its parameter is the ack response type.
 *
 * @example
 * interface ClientToServer { chat: (msg: { text: string }, ack: (res: { ok: boolean }) => void) => void }
 * interface ServerToClient { news: (n: { title: string }) => void }
 * const server = new SmartSocket<ClientToServer, ServerToClient>({ port: 0 });
 */
export interface EventsMap {
  // `any` (not a function type) so that user interfaces satisfy the constraint without an index signature.
  [event: string]: any;
}

/** The untyped map every generic defaults to: any event, any data. */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

/** Event names of a map. */
export type EventNames<M extends EventsMap> = keyof M & string;

/**
 * True for handlers declared with rest parameters (the untyped `DefaultEventsMap`) and `any`:
 * their emits still take one payload and an optional ack, never a list of values.
 */
type IsUntyped<F> = 0 extends 1 & F
  ? true
  : F extends (...args: infer P) => void
    ? number extends P['length']
      ? true
      : false
    : false;

/**
 * The arguments of `emit(event, ...)` for one event: `(data, ack?)` as declared; untyped events
 * take `(data?, ack?)`, so `emit('chat', 'a', 'b')` is a type error as it is a runtime TypeError.
 */
export type EventParams<M extends EventsMap, E extends EventNames<M>> =
  IsUntyped<M[E]> extends true ? [data?: any, ack?: (...args: any[]) => void] : Parameters<M[E]>;

/** The ack callback type of a handler signature (never when it takes none). */
export type AckCallbackOf<F> = F extends (data: never, ack: infer A) => void
  ? A extends (...args: never[]) => void
    ? A
    : never
  : never;

/** The response type of an event's ack (`unknown` for untyped handlers). */
export type AckResponseOf<F> = AckCallbackOf<F> extends (res: infer R) => void ? R : unknown;

/** The data type of an event (its first parameter). */
export type DataOf<F> = F extends (...args: infer P) => void
  ? P extends []
    ? undefined
    : P[0]
  : never;

/** `(data, (err, responses[]) => void)`: the arguments of a broadcast emit with acks. */
export type BroadcastAckParams<F> =
  IsUntyped<F> extends true
    ? [data?: any, ack?: (err: Error | null, responses: any[]) => void]
    : AckCallbackOf<F> extends never
      ? F extends (...args: infer P) => void
        ? P
        : never
      : [data: DataOf<F>, ack: (err: Error | null, responses: AckResponseOf<F>[]) => void];

/** `(data, (err, response) => void)`: the arguments of a socket emit with a timeout. */
export type TimeoutAckParams<F> =
  IsUntyped<F> extends true
    ? [data?: any, ack?: (err: Error | null, response: any) => void]
    : AckCallbackOf<F> extends never
      ? F extends (...args: infer P) => void
        ? P
        : never
      : [data: DataOf<F>, ack: (err: Error | null, response: AckResponseOf<F>) => void];

/** A map whose keys are listed but whose handlers are prefixed with the socket. */
export type WithSocket<S, F> = F extends (...args: infer P) => void
  ? (socket: S, ...args: P) => void
  : never;
