// What the event intake needs from its socket, namespace and server: interfaces, so no import cycle.
import type { Logger } from '@smartsocket/logger';
import type { FramePipeline } from './frame-pipeline.js';
import type { RateLimiter } from './rate-limiter.js';
import type { MiddlewareFn } from './run-middleware.js';
import type { ResolvedOptions } from './server-options.js';
import type { EmitterSocket } from './socket-emitter.js';
import type { StatsCollector } from './stats-collector.js';

/** A handler or listener of the application (called through `callApp` only). */
type AppFn = (...args: any[]) => unknown;

/** What the `rate-limit` lifecycle event carries. */
interface RateLimitNotice {
  event: string;
  code: 'ERR_RATE_001' | 'ERR_RATE_002';
  retryAfter: number;
}

/** The socket's namespace as the intake sees it (the `Namespace` class). */
export interface IntakeNamespace {
  readonly name: string;
  _middlewareChain(): readonly MiddlewareFn<any>[];
  _handlers(event: string): readonly AppFn[];
  _emitLifecycle(event: 'rate-limit', socket: IntakeSocket, info: RateLimitNotice): void;
}

/** The socket whose EVENT frames the intake checks and dispatches (the `Socket` class). */
export interface IntakeSocket extends Pick<EmitterSocket<any>, '_emit'> {
  readonly id: string;
  readonly nsp: IntakeNamespace;
  readonly connected: boolean;
  readonly requireAuth: boolean;
  readonly data: unknown;
  readonly _alive: boolean;
  _hasListeners(event: string): boolean;
  _dispatch(
    sink: (err: unknown) => void,
    event: string,
    data: unknown,
    ack: ((response?: unknown) => void) | undefined,
  ): void;
  _sendAck(ackId: number, response: unknown): void;
}

/**
 * The server as the intake sees it (the `ServerContext`).
 *
 * @example
 * new EventIntake(ctx, socket, link); // ctx: ServerContext, socket: Socket
 */
export interface IntakeContext {
  readonly opts: ResolvedOptions;
  readonly logger: Logger;
  readonly pipeline: FramePipeline;
  readonly stats: StatsCollector;
  readonly rateLimiter: RateLimiter | undefined;
  readonly messageListeners: readonly AppFn[];
  emitLifecycle(event: 'rate-limit', socket: IntakeSocket, info: RateLimitNotice): void;
  reportError(err: unknown): void;
}
