// Incoming EVENT frames of one socket: rate limit, reserved names, requireAuth, decode, middleware, handlers.
import { SEAL_OVERHEAD } from '@smartsocket/crypto';
import {
  type Frame,
  FrameType,
  isErrorCode,
  isSmartSocketError,
  SmartSocketError,
} from '@smartsocket/protocol';
import type { Connection } from './connection.js';
import { runMiddleware } from './middleware.js';
import type { RateLimitState, RateLimitVerdict } from './rate-limiter.js';
import type { ServerContext } from './server-context.js';
import type { Socket } from './socket.js';

/** Event names a client may not use: they are the socket's own lifecycle events. */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  'connected',
  'connection',
  'disconnected',
  'disconnect',
  'error',
  'rate-limit',
]);

type Ack = (response?: unknown) => void;

/**
 * Takes one socket's incoming events through the checks, in this order: rate limit (heartbeats
 * never get here), reserved names, `requireAuth`, decoding, server then namespace middleware;
 * then calls the socket's handlers `(data, ack?)`, the namespace's `(socket, data, ack?)` and
 * `onMessage` listeners. A rejection is one ERROR frame `{ code, message, event, ackId? }` and
 * never reaches a handler. Handler errors go to the server's `error` event.
 */
export class EventIntake {
  readonly #rate: RateLimitState | undefined;

  constructor(
    private readonly ctx: ServerContext,
    private readonly socket: Socket,
    private readonly conn: Connection,
  ) {
    this.#rate = ctx.rateLimiter?.createState();
  }

  onEvent(frame: Frame): void {
    const { ctx, socket } = this;
    const { event, ackId } = frame;
    // `frame` is already opened: a sealed section was SEAL_OVERHEAD bytes longer on the wire.
    const sealed = this.conn.key === undefined ? 0 : SEAL_OVERHEAD;
    ctx.stats.messageIn(socket.nsp.name, event, frame.aad.length + 4 + frame.data.length + sealed);
    if (this.#rate) {
      const verdict = ctx.rateLimiter!.consume(this.#rate, event);
      if (verdict) {
        this.#rateLimited(verdict, ackId);
        return;
      }
    }
    if (RESERVED_EVENTS.has(event)) {
      this.#reject(
        new SmartSocketError('ERR_MSG_001', `"${event}" is a reserved event name`),
        event,
        ackId,
      );
      return;
    }
    if (
      socket.requireAuth &&
      event !== 'auth' &&
      (socket.data as { authenticated?: unknown })?.authenticated !== true
    ) {
      this.#reject(new SmartSocketError('ERR_CONN_004', 'Authentication required'), event, ackId);
      return;
    }
    let data: unknown;
    try {
      data = ctx.pipeline.decodeData(frame, this.conn);
    } catch (err) {
      this.#reject(
        isSmartSocketError(err) ? err : new SmartSocketError('ERR_MSG_001'),
        event,
        ackId,
      );
      return;
    }
    const ack = ackId === undefined ? undefined : this.#ackFn(ackId);
    const chain = socket.nsp._middlewareChain();
    if (chain.length === 0) {
      this.#dispatch(event, data, ack);
      return;
    }
    runMiddleware(chain, socket as never, event, data, (err) => {
      if (!socket.connected) return;
      if (!err) {
        this.#dispatch(event, data, ack);
        return;
      }
      const code = isErrorCode((err as { code?: unknown }).code)
        ? (err as SmartSocketError).code
        : 'ERR_MW_001';
      this.#reject(new SmartSocketError(code, err.message || undefined), event, ackId);
    });
  }

  /** The `ack` handed to handlers: answers once with an ACK frame, later calls are ignored. */
  #ackFn(ackId: number): Ack {
    let done = false;
    return (response?: unknown) => {
      if (done || !this.socket.connected) return;
      done = true;
      const msg = { type: FrameType.ACK, namespace: this.socket.nsp.name, ackId, data: response };
      this.conn.write(this.ctx.pipeline.encode(msg, this.conn));
    };
  }

  #dispatch(event: string, data: unknown, ack: Ack | undefined): void {
    const { ctx, socket } = this;
    const call = (fn: () => unknown): void => {
      try {
        const r = fn() as Promise<unknown> | undefined;
        if (r && typeof r.then === 'function') r.then(undefined, (e) => ctx.reportError(e));
      } catch (err) {
        ctx.reportError(err);
      }
    };
    for (const fn of socket._listeners(event)) call(() => fn(data, ack));
    for (const fn of socket.nsp._handlers(event)) call(() => fn(socket, data, ack));
    for (const fn of ctx.messageListeners) call(() => fn(socket, event, data));
  }

  #reject(err: SmartSocketError, event: string, ackId: number | undefined): void {
    this.ctx.logger.debug(`Rejected "${event}" from ${this.socket.id}: ${err.code}`);
    const full = new SmartSocketError(err.code, err.message, {
      event,
      ...(ackId === undefined ? {} : { ackId }),
      ...(err.retryAfter === undefined ? {} : { retryAfter: err.retryAfter }),
    });
    this.conn.sendError(full);
  }

  #rateLimited(verdict: RateLimitVerdict, ackId: number | undefined): void {
    const { code, retryAfter, event } = verdict;
    this.ctx.stats.rateLimited();
    const err = new SmartSocketError(code, undefined, { retryAfter });
    this.#reject(err, event, ackId);
    const notice = { message: err.message, retryAfter, code, event };
    this.socket._emit('__rate-limited__', notice, undefined, {});
    const info = { event, code, retryAfter };
    this.ctx.emitLifecycle('rate-limit', this.socket, info);
    this.socket.nsp._emitLifecycle('rate-limit', this.socket, info);
  }
}
