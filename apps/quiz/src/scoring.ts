// Points for one answer: correct answers earn more the faster they come.

/** Points for an instant correct answer. */
export const MAX_POINTS = 1000;
/** Points for a correct answer given as the countdown ends. */
export const MIN_POINTS = 500;

/**
 * Points for an answer given `elapsedMs` after the question opened, out of `durationMs`.
 * Wrong answers score 0; correct ones fall linearly from MAX_POINTS to MIN_POINTS.
 *
 * @example
 * scoreAnswer(true, 0, 10_000); // 1000
 * scoreAnswer(true, 10_000, 10_000); // 500
 */
export function scoreAnswer(correct: boolean, elapsedMs: number, durationMs: number): number {
  if (!correct) return 0;
  const fraction = durationMs > 0 ? Math.min(Math.max(elapsedMs / durationMs, 0), 1) : 0;
  return Math.round(MAX_POINTS - (MAX_POINTS - MIN_POINTS) * fraction);
}
