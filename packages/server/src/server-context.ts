// What connections, sockets and namespaces need from their server (kept small to avoid cycles).
import type { Logger } from '@smartsocket/logger';
import type { AckIds } from './ack-ids.js';
import type { Admission } from './admission.js';
import type { FramePipeline } from './frame-pipeline.js';
import type { Middleware } from './middleware.js';
import type { Namespace } from './namespace.js';
import type { RateLimiter } from './rate-limiter.js';
import type { DropReason } from './send-queue.js';
import type { ResolvedOptions } from './server-options.js';
import type { SessionStore } from './session-store.js';
import type { Socket } from './socket.js';
import type { StatsCollector } from './stats-collector.js';

/** Lifecycle events a server (and a namespace) emits. */
export interface LifecycleEvents {
  connected: [socket: Socket];
  disconnected: [socket: Socket, reason: string];
  'rate-limit': [socket: Socket, info: RateLimitInfo];
}

/** What the `rate-limit` event carries. */
export interface RateLimitInfo {
  event: string;
  code: 'ERR_RATE_001' | 'ERR_RATE_002';
  retryAfter: number;
}

/** A catch-all listener of every user event of every namespace (`server.onMessage`). */
export type MessageListener = (socket: Socket, event: string, data: unknown) => void;

/** Server internals shared with connections, sockets and namespaces. */
export interface ServerContext {
  readonly opts: ResolvedOptions;
  /** The admission check every transport runs on a new connection's HTTP request. */
  readonly admission: Admission;
  readonly logger: Logger;
  readonly pipeline: FramePipeline;
  readonly ackIds: AckIds;
  readonly stats: StatsCollector;
  /** Counts one dropped outgoing frame (one function for every send queue). */
  readonly onDrop: (reason: DropReason) => void;
  readonly rateLimiter: RateLimiter | undefined;
  /** Dropped recoverable sessions awaiting their client (`enableMessageCache`). */
  readonly recoverable: SessionStore<Socket> | undefined;
  readonly middlewares: readonly Middleware[];
  readonly messageListeners: readonly MessageListener[];
  /** The namespace named `name`, if the server serves it. */
  getNamespace(name: string): Namespace | undefined;
  /** Emits a lifecycle event on the server (namespaces emit their own). */
  emitLifecycle<E extends keyof LifecycleEvents>(event: E, ...args: LifecycleEvents[E]): void;
  /** Reports an error thrown by user code (handlers, middleware) without crashing. */
  reportError(err: unknown): void;
}
