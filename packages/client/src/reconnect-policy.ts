// Reconnection backoff: exponential delay with a cap and jitter. Pure: the random source is injected.

/** The parameters of the backoff. */
export interface ReconnectPolicyOptions {
  reconnectDelay: number;
  reconnectDelayMax: number;
  randomizationFactor: number;
  maxReconnectAttempts: number;
}

/**
 * Delay before reconnection attempt `attempt` (0-based):
 * `d = min(reconnectDelay × 1.5^attempt, reconnectDelayMax)`, then drawn uniformly from
 * `[d·(1−r), d·(1+r)]` with `r = randomizationFactor` (`random` in [0, 1)).
 *
 * @example
 * reconnectDelay(2, { reconnectDelay: 1000, reconnectDelayMax: 60000, randomizationFactor: 0 }); // 2250
 */
export function reconnectDelay(
  attempt: number,
  opts: Omit<ReconnectPolicyOptions, 'maxReconnectAttempts'>,
  random: () => number = Math.random,
): number {
  const base = Math.min(opts.reconnectDelay * 1.5 ** attempt, opts.reconnectDelayMax);
  const r = opts.randomizationFactor;
  if (r === 0) return base;
  return base * (1 - r + 2 * r * random());
}

/** True when the client may make retry number `retry` (1-based) under `maxReconnectAttempts`. */
export function mayRetry(
  retry: number,
  opts: Pick<ReconnectPolicyOptions, 'maxReconnectAttempts'>,
): boolean {
  return retry <= opts.maxReconnectAttempts;
}

/** The reconnection policy a server announces in its CONNECT answer (`maxAttempts: null`: unlimited). */
export interface AnnouncedPolicy {
  delay?: unknown;
  maxAttempts?: unknown;
}

const count = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1;

/**
 * The policy in force after a handshake: the server's announced `delay` / `maxAttempts` replace
 * the client's defaults, never a value the user set (`userSet` names those); the delay cap is
 * raised to the delay if needed. Fields that are not whole numbers (or `null` attempts) are
 * ignored.
 *
 * @example
 * withAnnounced(opts, { delay: 5000 }, new Set()); // reconnectDelay 5000
 */
export function withAnnounced(
  opts: ReconnectPolicyOptions,
  announced: AnnouncedPolicy | undefined,
  userSet: ReadonlySet<string>,
): ReconnectPolicyOptions {
  const out = { ...opts };
  const { delay, maxAttempts } = announced ?? {};
  if (count(delay) && !userSet.has('reconnectDelay')) {
    out.reconnectDelay = delay;
    out.reconnectDelayMax = Math.max(out.reconnectDelayMax, delay);
  }
  if ((maxAttempts === null || count(maxAttempts)) && !userSet.has('maxReconnectAttempts'))
    out.maxReconnectAttempts = maxAttempts ?? Number.POSITIVE_INFINITY;
  return out;
}
