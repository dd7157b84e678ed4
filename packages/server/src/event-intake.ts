// Incoming EVENT frames of one socket: rate limit, reserved names, requireAuth, decode, middleware, handlers.
import { SEAL_OVERHEAD } from '@smartsocket/crypto';
import { callApp, type Frame, isSmartSocketError, SmartSocketError } from '@smartsocket/protocol';
import type { IntakeContext, IntakeSocket } from './intake-peer.js';
import { publicError } from './public-error.js';
import type { RateLimitState, RateLimitVerdict } from './rate-limiter.js';
import { runMiddleware } from './run-middleware.js';
import type { SocketLink } from './socket-link.js';
import { UNHANDLED_EVENTS } from './stats-collector.js';

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

/** The generic message a client gets when a handler failed while its ack was unanswered. */
const HANDLER_FAILED = 'Event handler failed';
/** Longest event name quoted in a log line (names come from clients). */
const LOGGED_NAME_MAX = 64;

/** One event's ack: `answer` sends ACK, `fail` sends ERROR; only the first of either counts. */
interface Reply {
  answer: Ack;
  fail(err: unknown): void;
}

/**
 * Takes one socket's incoming events through the checks, in this order: rate limit (heartbeats
 * never get here), reserved names, `requireAuth`, decoding, server then namespace middleware;
 * then calls the socket's handlers `(data, ack?)`, the namespace's `(socket, data, ack?)` and
 * `onMessage` listeners. A rejection is one ERROR frame `{ code, message, event, ackId? }` and
 * never reaches a handler. Handler errors go to the server's `error` event.
 */
export class EventIntake {
  readonly #rate: RateLimitState | undefined;
  /** Until when (epoch ms) further rate-limit refusals of this client are not logged. */
  #quietUntil = 0;

  constructor(
    private readonly ctx: IntakeContext,
    private readonly socket: IntakeSocket,
    private readonly conn: SocketLink,
  ) {
    this.#rate = ctx.rateLimiter?.createState();
  }

  onEvent(frame: Frame): void {
    const { ctx, socket } = this;
    const { event, ackId } = frame;
    // `frame` is already opened: a sealed section was SEAL_OVERHEAD bytes longer on the wire.
    const sealed = this.conn.key === undefined ? 0 : SEAL_OVERHEAD;
    // Counted by name only when the app handles it: a client cannot grow the metrics with names.
    const handled = socket._hasListeners(event) || socket.nsp._handlers(event).length > 0;
    ctx.stats.messageIn(
      socket.nsp.name,
      handled ? event : UNHANDLED_EVENTS,
      frame.aad.length + 4 + frame.data.length + sealed,
    );
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
    const reply = ackId === undefined ? undefined : this.#reply(event, ackId);
    const chain = socket.nsp._middlewareChain();
    if (chain.length === 0) {
      this.#dispatch(event, data, reply);
      return;
    }
    runMiddleware(
      chain,
      socket as never,
      event,
      data,
      (err) => {
        if (!socket.connected) return;
        if (!err) this.#dispatch(event, data, reply);
        else this.#reject(publicError(err, 'ERR_MW_001'), event, ackId);
      },
      ctx.reportError,
    );
  }

  /** The ack of one event: answered once, with an ACK frame or (a handler failed) an ERROR. */
  #reply(event: string, ackId: number): Reply {
    let done = false;
    const first = (): boolean => {
      if (done || !this.socket._alive) return false;
      done = true;
      return true;
    };
    return {
      answer: (response?: unknown) => {
        if (!first()) return;
        this.socket._sendAck(ackId, response);
      },
      fail: (err: unknown) => {
        if (first()) this.#reject(publicError(err, 'ERR_MW_001', HANDLER_FAILED), event, ackId);
      },
    };
  }

  /**
   * Every handler runs through callApp: a throw or rejection is reported on the server's `error`
   * event and, while the event's ack is unanswered, answers it with `{ error, code }`.
   */
  #dispatch(event: string, data: unknown, reply: Reply | undefined): void {
    const { ctx, socket } = this;
    const report = ctx.reportError;
    const sink = reply
      ? (err: unknown): void => {
          report(err);
          reply.fail(err);
        }
      : report;
    const ack = reply?.answer;
    socket._dispatch(sink, event, data, ack);
    for (const fn of socket.nsp._handlers(event)) callApp(sink, fn, socket, data, ack);
    for (const fn of ctx.messageListeners) callApp(report, fn, socket, event, data);
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
    this.#logRefusal(verdict);
    if (verdict.flood) {
      // Far past its limit within one window: refusing each event would cost more than it does.
      this.conn.fail(
        new SmartSocketError('ERR_RATE_001', 'Rate limit flood', { event, retryAfter }),
        'rate limit flood',
      );
      return;
    }
    const err = new SmartSocketError(code, undefined, { retryAfter });
    this.#reject(err, event, ackId);
    const notice = { message: err.message, retryAfter, code, event };
    this.socket._emit('__rate-limited__', notice, undefined, {});
    const info = { event, code, retryAfter };
    this.ctx.emitLifecycle('rate-limit', this.socket, info);
    this.socket.nsp._emitLifecycle('rate-limit', this.socket, info);
  }

  /** Logs a refusal at `warn`, at most once per client per rate-limit window. */
  #logRefusal({ code, event }: RateLimitVerdict): void {
    const now = Date.now();
    if (now < this.#quietUntil) return;
    const window = this.ctx.opts.rateLimitWindow;
    this.#quietUntil = now + window;
    const name = JSON.stringify(event.slice(0, LOGGED_NAME_MAX));
    this.ctx.logger.warn(
      `${code}: rate limit refused ${name} from socket ${this.socket.id} (${this.conn.request.address}); ` +
        `further refusals of this client are not logged for ${window} ms`,
    );
  }
}
