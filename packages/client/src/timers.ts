// The clock the client's timing parts use; injectable so tests can drive time themselves.

/** Timer functions the client uses (defaults to the global ones). */
export interface TimerProvider {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

/** The global timers and `Date.now`. */
export const systemTimers: TimerProvider = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};
