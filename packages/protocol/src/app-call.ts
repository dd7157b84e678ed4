// The one door through which SmartSocket (server and client) calls application code.
// Pure: no I/O, no timers; a throw or a rejected promise never escapes, it goes to the sink.

/** Where a failure of application code is reported (the server's `error` event, the logger). */
export type ErrorSink = (error: unknown) => void;

/** The outcome of an awaited application hook: its value, or what it threw or rejected with. */
export type AppAnswer<R> = { ok: true; value: Awaited<R> } | { ok: false; error: unknown };

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Calls a listener or handler whose result nobody awaits: a synchronous throw and a rejected
 * promise both go to `sink`, so neither becomes an uncaught exception or unhandled rejection.
 * Library clean-up belongs before or after this call, never inside `fn`.
 *
 * @example
 * callApp(reportError, listener, socket, reason);
 */
export function callApp<A extends unknown[]>(
  sink: ErrorSink,
  fn: (...args: A) => unknown,
  ...args: A
): void {
  try {
    const result = fn(...args);
    if (isThenable(result)) result.then(undefined, sink);
  } catch (error) {
    sink(error);
  }
}

/**
 * Calls a hook whose answer is awaited (`authenticate`, `allowRequest`, middleware): resolves with
 * `{ ok: true, value }`, or `{ ok: false, error }` after reporting the error to `sink`. Never
 * rejects.
 *
 * @example
 * const answer = await askApp(reportError, opts.allowRequest, req);
 * if (!answer.ok || answer.value !== true) refuse(403);
 */
export async function askApp<A extends unknown[], R>(
  sink: ErrorSink,
  fn: (...args: A) => R,
  ...args: A
): Promise<AppAnswer<R>> {
  try {
    return { ok: true, value: await fn(...args) };
  } catch (error) {
    sink(error);
    return { ok: false, error };
  }
}
