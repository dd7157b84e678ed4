// Runs per-event middleware in order, sync or async, until one rejects or all pass.
import { callApp } from '@smartsocket/protocol';
import type { Socket } from './socket.js';

/** `next()` accepts, `next(err)` rejects the event (the err's `code` is used if it is ours). */
export type NextFunction = (err?: Error) => void;

/**
 * Per-event middleware: `(socket, event, data, next)`. May be async; a throw or a rejected
 * promise rejects the event like `next(err)`.
 *
 * @example
 * server.use((socket, event, data, next) => (socket.data.banned ? next(new Error('banned')) : next()));
 */
export type Middleware<S = Socket<any, any, any>> = (
  socket: S,
  event: string,
  data: unknown,
  next: NextFunction,
) => void | Promise<void>;

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Runs `chain` for one event and calls `done` once: with no argument when every middleware
 * called `next()`, or with the first error. A middleware that throws or rejects is also passed
 * to `report` (the server's `error` event); `next(err)` is a refusal, not a failure.
 */
export function runMiddleware<S>(
  chain: readonly Middleware<S>[],
  socket: S,
  event: string,
  data: unknown,
  done: (err?: Error) => void,
  report: (err: unknown) => void,
): void {
  let index = 0;
  const step = (err?: Error): void => {
    if (err) {
      done(toError(err));
      return;
    }
    const mw = chain[index++];
    if (!mw) {
      done();
      return;
    }
    let called = false;
    const next: NextFunction = (e) => {
      if (called) return;
      called = true;
      step(e === undefined || e === null ? undefined : toError(e));
    };
    // A throw or a rejection is an app failure (reported) and rejects the event like next(err).
    callApp(
      (e) => {
        report(e);
        next(toError(e));
      },
      mw,
      socket,
      event,
      data,
      next,
    );
  };
  step();
}
