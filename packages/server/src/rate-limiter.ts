// Per-client rate limiting: a sliding window over all events plus per-event rules, O(1) per client.
import { SmartSocketError } from '@smartsocket/protocol';

/** At most `maxRequests` events per `window` milliseconds. */
export interface RateLimitRule {
  /** Window length in milliseconds (a positive finite number). */
  window: number;
  /** Events allowed per window (a positive integer). */
  maxRequests: number;
}

/** Why an event was refused and how long the client should wait before it will be accepted. */
export interface RateLimitVerdict {
  /** `ERR_RATE_001` for the global rule, `ERR_RATE_002` for a per-event rule. */
  code: 'ERR_RATE_001' | 'ERR_RATE_002';
  /** Milliseconds after which the same event will be accepted (if nothing else is sent meanwhile). */
  retryAfter: number;
  /** The refused event. */
  event: string;
  /**
   * Set when the client is flooding: within one window of the rule it has sent at least
   * {@link FLOOD_FACTOR} times what the rule allows. The server then disconnects it.
   */
  flood?: true;
}

/** Sent ÷ allowed within one window from which refusals turn into a disconnect. */
export const FLOOD_FACTOR = 10;

/**
 * A sliding window cut into {@link SLOTS} sub-windows ("slots") of `window / SLOTS` ms each: a ring
 * of SLOTS + 1 counters covering every slot that overlaps the last `window` ms, plus their total.
 * `head` is the absolute number of the newest slot, `floor(now × SLOTS / window)`.
 */
interface WindowCounter {
  rule: RateLimitRule;
  head: number;
  total: number;
  counts: number[];
  /** Refusals since `refusedSince` (a plain fixed window: only a flood detector). */
  refused: number;
  refusedSince: number;
}

/**
 * Opaque per-client state from {@link RateLimiter.createState}. Its size does not depend on how
 * many events the client sends: one counter for the global rule and one per event that has a
 * rule set by the server (never per arbitrary client-chosen event name).
 */
export interface RateLimitState {
  /** @internal */
  readonly _brand?: never;
}

interface InternalState extends RateLimitState {
  global: WindowCounter | undefined;
  events: Map<string, WindowCounter> | undefined;
}

// Sub-windows per window. More is finer (an event is admitted at most window / SLOTS later than an
// exact timestamp log would admit it) but costs one counter each per client and rule.
const SLOTS = 10;
const RING = SLOTS + 1;

/** Throws `ERR_CONFIG_001` naming `name` when `rule` is not a valid {@link RateLimitRule}. */
export function validateRateLimitRule(rule: unknown, name: string): asserts rule is RateLimitRule {
  const r = rule as Partial<RateLimitRule> | null;
  if (typeof r !== 'object' || r === null) {
    throw new SmartSocketError('ERR_CONFIG_001', `${name} must be { window, maxRequests }`);
  }
  if (typeof r.window !== 'number' || !Number.isFinite(r.window) || r.window <= 0) {
    throw new SmartSocketError('ERR_CONFIG_001', `${name}.window must be a positive number of ms`);
  }
  if (typeof r.maxRequests !== 'number' || !Number.isInteger(r.maxRequests) || r.maxRequests < 1) {
    throw new SmartSocketError('ERR_CONFIG_001', `${name}.maxRequests must be a positive integer`);
  }
}

/**
 * Sliding-window rate limiter with O(1) time and memory per client and rule. Each rule keeps a
 * ring of 11 counters for the 10 sub-windows of `window / 10` ms that overlap the last `window`
 * ms (plus the one in progress). An event is accepted when the events counted in those slots plus
 * itself stay within `maxRequests`; since the slots cover the whole window, **no window of
 * `window` ms ever holds more than `maxRequests` accepted events** (unlike a fixed window or a
 * token bucket, which let a burst at a boundary double the rate). The price is granularity: the
 * oldest slot is forgotten only once all of it has left the window, so an event may be admitted
 * up to `window / 10` ms later than an exact timestamp log would admit it.
 *
 * A refused event is not counted (neither against the global rule nor against its event rule), so
 * a client that waits `retryAfter` ms (exact, rounded up to whole ms) is accepted.
 *
 * @example
 * const limiter = new RateLimiter({ global: { window: 60_000, maxRequests: 100 } });
 * limiter.setEventRateLimit('message', { window: 5000, maxRequests: 5 });
 * const state = limiter.createState();            // one per client
 * const verdict = limiter.consume(state, 'message');
 * if (verdict) reject(verdict.code, verdict.retryAfter);
 */
export class RateLimiter {
  readonly #global: RateLimitRule | undefined;
  readonly #now: () => number;
  readonly #rules = new Map<string, RateLimitRule>();

  constructor(options: { global?: RateLimitRule; now?: () => number } = {}) {
    if (options.global !== undefined) {
      validateRateLimitRule(options.global, 'rateLimit');
      this.#global = { window: options.global.window, maxRequests: options.global.maxRequests };
    }
    this.#now = options.now ?? Date.now;
  }

  /**
   * Limits one event name for each client, on top of the global rule. Setting a rule again
   * replaces it (clients' counters for that event start afresh).
   *
   * @example
   * limiter.setEventRateLimit('message', { window: 5000, maxRequests: 5 });
   */
  setEventRateLimit(event: string, rule: RateLimitRule): void {
    if (typeof event !== 'string') {
      throw new SmartSocketError('ERR_CONFIG_001', 'setEventRateLimit: event must be a string');
    }
    validateRateLimitRule(rule, `setEventRateLimit('${event}')`);
    this.#rules.set(event, { window: rule.window, maxRequests: rule.maxRequests });
  }

  /** The rule set for `event`, if any. */
  getEventRateLimit(event: string): RateLimitRule | undefined {
    const rule = this.#rules.get(event);
    return rule === undefined ? undefined : { ...rule };
  }

  /** Fresh state for one client; drop it with the client. */
  createState(): RateLimitState {
    const state: InternalState = { global: undefined, events: undefined };
    return state;
  }

  /**
   * Counts one event for a client: `undefined` when allowed, else the verdict (global rule →
   * `ERR_RATE_001`, per-event rule → `ERR_RATE_002`). A refused event is not counted.
   */
  consume(state: RateLimitState, event: string): RateLimitVerdict | undefined {
    const s = state as InternalState;
    const now = this.#now();

    let globalCounter: WindowCounter | undefined;
    let globalWait = 0;
    if (this.#global !== undefined) {
      globalCounter = s.global ??= newCounter(this.#global);
      globalWait = waitTime(globalCounter, now);
    }

    let eventCounter: WindowCounter | undefined;
    let eventWait = 0;
    const eventRule = this.#rules.get(event);
    if (eventRule !== undefined) {
      s.events ??= new Map();
      eventCounter = s.events.get(event);
      if (eventCounter === undefined || eventCounter.rule !== eventRule) {
        eventCounter = newCounter(eventRule);
        s.events.set(event, eventCounter);
      }
      eventWait = waitTime(eventCounter, now);
    }

    if (globalWait > 0) {
      // Waiting for the global rule alone might not satisfy the event rule: wait for both.
      const verdict: RateLimitVerdict = {
        code: 'ERR_RATE_001',
        retryAfter: Math.max(globalWait, eventWait),
        event,
      };
      if (refuse(globalCounter!, now)) verdict.flood = true;
      return verdict;
    }
    if (eventWait > 0) {
      const verdict: RateLimitVerdict = { code: 'ERR_RATE_002', retryAfter: eventWait, event };
      if (refuse(eventCounter!, now)) verdict.flood = true;
      return verdict;
    }
    if (globalCounter !== undefined) count(globalCounter);
    if (eventCounter !== undefined) count(eventCounter);
    return undefined;
  }
}

function newCounter(rule: RateLimitRule): WindowCounter {
  return {
    rule,
    head: 0,
    total: 0,
    counts: new Array<number>(RING).fill(0),
    refused: 0,
    refusedSince: 0,
  };
}

/**
 * Counts one refusal; true once the refusals of the current window reach
 * (FLOOD_FACTOR − 1) × maxRequests, i.e. the client sent ≥ FLOOD_FACTOR × what is allowed.
 */
function refuse(c: WindowCounter, now: number): boolean {
  if (now - c.refusedSince >= c.rule.window) {
    c.refusedSince = now;
    c.refused = 0;
  }
  c.refused++;
  return c.refused >= (FLOOD_FACTOR - 1) * c.rule.maxRequests;
}

function slot(index: number): number {
  return ((index % RING) + RING) % RING;
}

/** Rolls `c` forward to `now`, then returns 0 if one more event fits, else the ms to wait (≥ 1). */
function waitTime(c: WindowCounter, now: number): number {
  const { window, maxRequests } = c.rule;
  // Integer-exact for integer clocks: floor of a quotient of integers.
  const index = Math.floor((now * SLOTS) / window);
  if (index > c.head) {
    if (index - c.head >= RING) {
      c.counts.fill(0);
      c.total = 0;
    } else {
      for (let i = c.head + 1; i <= index; i++) {
        const k = slot(i);
        c.total -= c.counts[k] as number;
        c.counts[k] = 0;
      }
    }
    c.head = index;
  }
  // (A clock that goes backwards keeps counting in the newest slot.)
  if (c.total < maxRequests) return 0;

  // Forget the oldest slots until one more event fits. Slot j leaves the window when
  // floor(t × SLOTS / window) − SLOTS > j, i.e. at t = (j + 1 + SLOTS) × window / SLOTS.
  const excess = c.total - maxRequests + 1;
  let dropped = 0;
  let j = c.head - SLOTS;
  for (; j < c.head; j++) {
    dropped += c.counts[slot(j)] as number;
    if (dropped >= excess) break;
  }
  return Math.max(1, Math.ceil(((j + 1 + SLOTS) * window) / SLOTS - now));
}

function count(c: WindowCounter): void {
  const k = slot(c.head);
  c.counts[k] = (c.counts[k] as number) + 1;
  c.total++;
}
