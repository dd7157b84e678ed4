// The public per-event middleware type, over the server's `Socket`.
import type { MiddlewareFn } from './run-middleware.js';
import type { Socket } from './socket.js';

export type { NextFunction } from './run-middleware.js';

/**
 * Per-event middleware: `(socket, event, data, next)`. May be async; a throw or a rejected
 * promise rejects the event like `next(err)`.
 *
 * @example
 * server.use((socket, event, data, next) => (socket.data.banned ? next(new Error('banned')) : next()));
 */
export type Middleware<S = Socket<any, any, any>> = MiddlewareFn<S>;
