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

/**
 * About `bytes` of realistic JSON (leaderboard-like records with varied names and numbers), so
 * compression ratios resemble real traffic rather than a run of one repeated character. A different
 * `seed` gives different values, so permessage-deflate's context cannot match whole messages.
 */
export function jsonPayload(bytes: number, seed = 42): unknown[] {
  const names = ['ada', 'grace', 'linus', 'ken', 'barbara', 'edsger', 'donald', 'margaret'];
  const records: unknown[] = [];
  const rand = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  while (JSON.stringify(records).length < bytes) {
    const i = records.length;
    records.push({
      id: `p${i}-${Math.floor(rand() * 1e6).toString(36)}`,
      name: `${names[i % names.length]}_${Math.floor(rand() * 1000)}`,
      score: Math.floor(rand() * 100_000),
      streak: Math.floor(rand() * 20),
      answeredAt: 1_763_780_000_000 + Math.floor(rand() * 1e7),
      correct: rand() > 0.4,
    });
  }
  return records;
}
