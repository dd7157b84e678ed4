// Runs per-event middleware in order, sync or async, until one rejects or all pass (no socket import).
import { callApp } from '@smartsocket/protocol';

/** `next()` accepts, `next(err)` rejects the event (the err's `code` is used if it is ours). */
export type NextFunction = (err?: Error) => void;

/** One middleware over sockets of type `S` (the public `Middleware` fills in `Socket`). */
export type MiddlewareFn<S> = (
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
  chain: readonly MiddlewareFn<S>[],
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
