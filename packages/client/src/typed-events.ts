// Event-map types: how user event maps become typed `emit`, `on` and `emitWithAck` signatures.
import type { ErrorCode, SmartSocketError } from '@smartsocket/protocol';
import type { TransportName } from './transport.js';

/**
 * An event map: event name → `(data, ack?) => void`. The first parameter is the payload; a
 * second parameter, when present, is the ack callback and its argument type is the response.
 *
 * @example
 * interface ClientToServer { save: (doc: Doc, ack: (res: { ok: boolean }) => void) => void }
 */
export interface EventsMap {
  // `any` (not a function type) so that interfaces without an index signature qualify.
  [event: string]: any;
}

/** The untyped map used when no map is given: any event, any payload. */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

/** What an ack callback gets when the ack fails (timeout, rejection, refusal). */
export interface AckError {
  error: string;
  code: ErrorCode;
}

/** The callback of `emit`: the server's response, or `{ error, code }` on failure. */
export type AckCallback<R = unknown> = (response: R | AckError) => void;

/** The body of the `__rate-limited__` event. */
export interface RateLimitInfo {
  message: string;
  retryAfter: number;
  code: ErrorCode;
  event?: string;
}

/** Events the client itself emits. */
export interface ClientReservedEvents {
  /** The session is established; the argument says over which transport. */
  connected: (transport: TransportName) => void;
  disconnected: (reason: string) => void;
  reconnecting: (attempt: number, delay: number) => void;
  reconnected: (attempt: number) => void;
  'max-reconnect-attempts-reached': (attempts: number) => void;
  error: (error: SmartSocketError) => void;
  /** `bufferedAmount` is back under a quarter of `maxBufferedBytes` after `emit` returned false. */
  drain: () => void;
  '__rate-limited__': (info: RateLimitInfo) => void;
}

/** Names of the client's own events (never dispatched from the wire, but `__rate-limited__`). */
export type ReservedEventName = keyof ClientReservedEvents;

/** Event names of a map, as strings. */
export type EventNames<M> = keyof M & string;

type Fn = (...args: any[]) => void;

/** True when `T` is `any` (untyped maps such as `SmartSocketClient<any, any>`). */
type IsAny<T> = 0 extends 1 & T ? true : false;

/** The response type of the ack callback of event function `F` (`unknown` when untyped). */
export type AckResponse<F> =
  IsAny<F> extends true
    ? unknown
    : F extends Fn
      ? number extends Parameters<F>['length']
        ? unknown
        : Parameters<F> extends [any, ((response: infer R) => void)?]
          ? unknown extends R
            ? unknown
            : R
          : never
      : never;

/** The parameters of `emit(event, ...args)` for event function `F`. */
export type EmitArgs<F> =
  IsAny<F> extends true
    ? [data?: unknown, ack?: AckCallback<unknown>]
    : F extends Fn
      ? number extends Parameters<F>['length']
        ? [data?: unknown, ack?: AckCallback<unknown>]
        : Parameters<F> extends []
          ? []
          : Parameters<F> extends [infer D]
            ? [data: D]
            : Parameters<F> extends [infer D, ((response: infer R) => void)?]
              ? [data: D, ack?: AckCallback<R>]
              : never
      : never;

/** The payload type of event function `F`. */
export type EventData<F> =
  IsAny<F> extends true ? unknown : F extends Fn ? Parameters<F>[0] : never;

type HasAck<F> =
  IsAny<F> extends true
    ? true
    : F extends Fn
      ? number extends Parameters<F>['length']
        ? true
        : Parameters<F> extends [any] | []
          ? false
          : Parameters<F> extends [any, ((response: any) => void)?]
            ? true
            : false
      : false;

/** Events of `M` whose function takes an ack callback (those `emitWithAck` accepts). */
export type EventsWithAck<M> = {
  [E in EventNames<M>]: HasAck<M[E]> extends true ? E : never;
}[EventNames<M>];

/** Listener type of event `E` on a client listening to `L`. */
export type ListenerOf<L, E> = E extends ReservedEventName
  ? ClientReservedEvents[E]
  : E extends keyof L
    ? L[E]
    : never;
