// Shared clock and payload helpers for children: CLOCK_MONOTONIC is system-wide on Linux,
// so times taken in the server child and in a load child can be compared.

/** Monotonic time in ms (fractional), comparable across processes on the same Linux machine. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Resolves after ms (used only by the orchestrator and children to pace a scenario, never in tests). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Padding so that JSON of `{ ...fields, pad }` is about `bytes` long. */
export function padFor(bytes: number, fields: Record<string, unknown>): string {
  const base = JSON.stringify({ ...fields, pad: '' }).length;
  return 'x'.repeat(Math.max(0, bytes - base));
}
