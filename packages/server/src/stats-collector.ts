// Live server statistics: connection, message, byte, compression and latency counters (O(1) each).

/** A transport a connection uses. */
export type TransportName = 'websocket' | 'polling';

/**
 * The `transmission` block of `getStats()` and `GET {path}/stats`. The human strings are the
 * seed's (kept for compatibility); the numeric fields say the same in plain numbers.
 */
export interface TransmissionStats {
  /** Messages received plus messages sent (EVENT/ACK frames, heartbeats excluded). */
  totalMessages: number;
  /** Mean heartbeat round trip, e.g. `'4.2ms'` (see {@link ServerStats.averageLatency}). */
  averageLatency: string;
  /** Wire bytes in + out per second over the last 10 s, e.g. `'8.5 KB/s'`. */
  averageSpeed: string;
  /** Space saved by compression on the frames that were sent compressed, e.g. `'87.5%'`. */
  averageCompression: string;
  /** Outgoing data before compression (`plainBytesOut`), e.g. `'425.3 MB'`. */
  totalDataTransmitted: string;
  /** Outgoing data as it went on the wire (`bytesOut`), e.g. `'52.1 MB'`. */
  totalCompressed: string;
  /** `1 − bytesOut / plainBytesOut`, e.g. `'87.8%'`. */
  bandwidthSaved: string;
  /** Messages received. */
  messagesIn: number;
  /** Messages sent (one per recipient of a broadcast). */
  messagesOut: number;
  /** Wire bytes received. */
  bytesIn: number;
  /** Wire bytes sent (after compression and sealing). */
  bytesOut: number;
  /** Bytes sent, counted before compression. */
  plainBytesOut: number;
  /** Messages sent compressed. */
  compressedFrames: number;
  /** Outgoing messages dropped (volatile under backpressure, oldest discarded past the bound). */
  droppedMessages: number;
  /** Of those, volatile messages dropped because the socket's buffer was past `maxBufferedBytes`. */
  volatileDrops: number;
  /** Of those, waiting messages discarded oldest first to keep a socket within the bound. */
  oldestDrops: number;
  /** Wire bytes in + out per second over the last 10 s. */
  bytesPerSecond: number;
  /** Incoming events refused by the rate limiter (`ERR_RATE_001`/`ERR_RATE_002`). */
  rateLimited: number;
  /** Connections cut off for not reading fast enough (slow consumers). */
  slowConsumers: number;
}

/** `server.getStats()`. */
export interface ServerStats {
  /** Connections open now. */
  connections: number;
  /** Connections accepted since start. */
  totalConnections: number;
  /** Resident memory of the process, e.g. `'45MB'`. */
  memoryUsage: string;
  /** Resident memory of the process in bytes. */
  memoryBytes: number;
  /** Milliseconds since the collector (the server) started. */
  uptime: number;
  /** Messages in + out per second over the last 10 s (or since start, if sooner). */
  messagesPerSecond: number;
  /** Mean heartbeat round trip in ms over the last minute (all-time mean if none; 0 if never). */
  averageLatency: number;
  transmission: TransmissionStats;
}

/** `server.getConnectionStats()`. */
export interface ConnectionStats {
  /** Connections open now. */
  active: number;
  /** Connections accepted since start. */
  total: number;
  /** Most connections open at once. */
  peak: number;
  /** Connections refused (max connections, origin, authentication, handshake errors). */
  rejected: number;
  /** Connections open now, per transport. */
  byTransport: Record<TransportName, number>;
}

/** One namespace in `server.getNamespaceStats()`. */
export interface NamespaceStats {
  /** Connections of this namespace open now. */
  connections: number;
  /**
   * An estimate, e.g. `'3.2MB'`: the process heap apportioned by this namespace's share of the
   * open connections (Node cannot attribute memory to a namespace).
   */
  memoryUsage: string;
  /**
   * Events received per event name, for the events the app has a handler for; every other
   * event counts under {@link UNHANDLED_EVENTS} (`_unhandled`). At most
   * {@link MAX_TRACKED_NAMES} names are tracked per namespace; further names count under
   * {@link OTHER_EVENTS}.
   */
  events: Record<string, number>;
}

/** Most event names (and namespaces) tracked by name; the rest share one bucket. */
export const MAX_TRACKED_NAMES = 1000;
/** The bucket that counts events (or namespaces) past {@link MAX_TRACKED_NAMES}. */
export const OTHER_EVENTS = '__other__';
/** The bucket that counts every event the app has no handler for (names come from clients). */
export const UNHANDLED_EVENTS = '_unhandled';

/**
 * A ring of `slots` time buckets of `slotMs` each, holding a count and a sum: O(1) memory and
 * O(1) amortised time per sample, for rates and means over a recent window.
 */
class RecentWindow {
  readonly #counts: Float64Array;
  readonly #sums: Float64Array;
  #head = 0;

  constructor(
    readonly slots: number,
    readonly slotMs: number,
    now: number,
  ) {
    this.#counts = new Float64Array(slots);
    this.#sums = new Float64Array(slots);
    this.#head = Math.floor(now / slotMs);
  }

  add(now: number, count: number, sum: number): void {
    this.#roll(now);
    const i = this.#head % this.slots;
    this.#counts[i] = (this.#counts[i] as number) + count;
    this.#sums[i] = (this.#sums[i] as number) + sum;
  }

  /** Totals over the window ending at `now`, and the time the window starts. */
  totals(now: number): { count: number; sum: number; since: number } {
    this.#roll(now);
    let count = 0;
    let sum = 0;
    for (let i = 0; i < this.slots; i++) {
      count += this.#counts[i] as number;
      sum += this.#sums[i] as number;
    }
    return { count, sum, since: (this.#head - this.slots + 1) * this.slotMs };
  }

  #roll(now: number): void {
    const index = Math.floor(now / this.slotMs);
    if (index <= this.#head) return;
    if (index - this.#head >= this.slots) {
      this.#counts.fill(0);
      this.#sums.fill(0);
    } else {
      for (let k = this.#head + 1; k <= index; k++) {
        this.#counts[k % this.slots] = 0;
        this.#sums[k % this.slots] = 0;
      }
    }
    this.#head = index;
  }
}

const RATE_SLOTS = 10;
const RATE_SLOT_MS = 1000;
const LATENCY_SLOTS = 12;
const LATENCY_SLOT_MS = 5000;

/**
 * Collects the server's live statistics. The server calls the recording methods on its hot
 * paths (each O(1), no allocation) and the getters when asked.
 *
 * @example
 * const stats = new StatsCollector();
 * stats.connectionOpened('websocket');
 * stats.messageIn('/chat', 'message', 42);
 * stats.getStats().transmission.totalMessages; // 1
 */
export class StatsCollector {
  readonly #now: () => number;
  readonly #startedAt: number;
  #active = 0;
  #total = 0;
  #peak = 0;
  #rejected = 0;
  readonly #byTransport: Record<TransportName, number> = { websocket: 0, polling: 0 };
  #messagesIn = 0;
  #messagesOut = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  #plainBytesOut = 0;
  #compressedFrames = 0;
  #compressedPlain = 0;
  #compressedWire = 0;
  #dropped = 0;
  #volatileDrops = 0;
  #oldestDrops = 0;
  #rateLimited = 0;
  #slowConsumers = 0;
  #latencySum = 0;
  #latencyCount = 0;
  readonly #traffic: RecentWindow; // count = messages, sum = wire bytes
  readonly #latency: RecentWindow; // count = samples, sum = ms
  readonly #events = new Map<string, Map<string, number>>();

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#startedAt = now();
    this.#traffic = new RecentWindow(RATE_SLOTS, RATE_SLOT_MS, this.#startedAt);
    this.#latency = new RecentWindow(LATENCY_SLOTS, LATENCY_SLOT_MS, this.#startedAt);
  }

  /** A connection finished its handshake on `transport`. */
  connectionOpened(transport: TransportName): void {
    this.#active++;
    this.#total++;
    this.#byTransport[transport]++;
    if (this.#active > this.#peak) this.#peak = this.#active;
  }

  /** An opened connection closed. */
  connectionClosed(transport: TransportName): void {
    if (this.#active > 0) this.#active--;
    if (this.#byTransport[transport] > 0) this.#byTransport[transport]--;
  }

  /** A connection was refused before it opened. */
  connectionRejected(): void {
    this.#rejected++;
  }

  /** A message for `event` in `namespace` arrived, `wireBytes` long as received. */
  messageIn(namespace: string, event: string, wireBytes: number): void {
    this.#messagesIn++;
    this.#bytesIn += wireBytes;
    this.#traffic.add(this.#now(), 1, wireBytes);
    let events = this.#events.get(namespace);
    if (events === undefined) {
      const key = this.#events.size < MAX_TRACKED_NAMES ? namespace : OTHER_EVENTS;
      events = this.#events.get(key);
      if (events === undefined) this.#events.set(key, (events = new Map()));
    }
    const known = events.get(event);
    if (known !== undefined) events.set(event, known + 1);
    else if (events.size < MAX_TRACKED_NAMES) events.set(event, 1);
    else events.set(OTHER_EVENTS, (events.get(OTHER_EVENTS) ?? 0) + 1);
  }

  /**
   * A message went out: `wireBytes` on the wire, `plainBytes` before compression,
   * `compressed` whether it was sent compressed. A broadcast counts once per recipient.
   */
  messageOut(wireBytes: number, plainBytes: number, compressed: boolean): void {
    this.#messagesOut++;
    this.#bytesOut += wireBytes;
    this.#plainBytesOut += plainBytes;
    if (compressed) {
      this.#compressedFrames++;
      this.#compressedPlain += plainBytes;
      this.#compressedWire += wireBytes;
    }
    this.#traffic.add(this.#now(), 1, wireBytes);
  }

  /** A heartbeat round trip of `ms` was measured. */
  latencySample(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.#latencySum += ms;
    this.#latencyCount++;
    this.#latency.add(this.#now(), 1, ms);
  }

  /**
   * One outgoing message was dropped: `'volatile'` or `'oldest'` (backpressure), `'closed'`
   * (its socket was gone); a number counts that many of unspecified reason.
   */
  dropped(reason: 'volatile' | 'oldest' | 'closed' | number = 1): void {
    if (typeof reason === 'number') {
      this.#dropped += reason;
      return;
    }
    this.#dropped++;
    if (reason === 'volatile') this.#volatileDrops++;
    else if (reason === 'oldest') this.#oldestDrops++;
  }

  /** An incoming event was refused by the rate limiter. */
  rateLimited(): void {
    this.#rateLimited++;
  }

  /** A connection was cut off because it did not read its messages fast enough. */
  slowConsumer(): void {
    this.#slowConsumers++;
  }

  /** The `getStats()` / `GET {path}/stats` snapshot. */
  getStats(): ServerStats {
    const now = this.#now();
    const traffic = this.#traffic.totals(now);
    // Over the window (the last 9-10 s), or over the uptime while it is shorter (at least 1 s).
    const span = Math.max(1000, Math.min(now - traffic.since, now - this.#startedAt)) / 1000;
    const recent = this.#latency.totals(now);
    const latency =
      recent.count > 0
        ? recent.sum / recent.count
        : this.#latencyCount > 0
          ? this.#latencySum / this.#latencyCount
          : 0;
    const memoryBytes = process.memoryUsage.rss();
    const bytesPerSecond = traffic.sum / span;
    return {
      connections: this.#active,
      totalConnections: this.#total,
      memoryUsage: `${Math.round(memoryBytes / 1048576)}MB`,
      memoryBytes,
      uptime: now - this.#startedAt,
      messagesPerSecond: round(traffic.count / span, 2),
      averageLatency: round(latency, 2),
      transmission: {
        totalMessages: this.#messagesIn + this.#messagesOut,
        averageLatency: `${round(latency, 1)}ms`,
        averageSpeed: formatBytes(bytesPerSecond) + '/s',
        averageCompression: percent(this.#compressedPlain, this.#compressedWire),
        totalDataTransmitted: formatBytes(this.#plainBytesOut),
        totalCompressed: formatBytes(this.#bytesOut),
        bandwidthSaved: percent(this.#plainBytesOut, this.#bytesOut),
        messagesIn: this.#messagesIn,
        messagesOut: this.#messagesOut,
        bytesIn: this.#bytesIn,
        bytesOut: this.#bytesOut,
        plainBytesOut: this.#plainBytesOut,
        compressedFrames: this.#compressedFrames,
        droppedMessages: this.#dropped,
        volatileDrops: this.#volatileDrops,
        oldestDrops: this.#oldestDrops,
        bytesPerSecond: round(bytesPerSecond, 2),
        rateLimited: this.#rateLimited,
        slowConsumers: this.#slowConsumers,
      },
    };
  }

  /** The `getConnectionStats()` snapshot. */
  getConnectionStats(): ConnectionStats {
    return {
      active: this.#active,
      total: this.#total,
      peak: this.#peak,
      rejected: this.#rejected,
      byTransport: { ...this.#byTransport },
    };
  }

  /**
   * The `getNamespaceStats()` snapshot. `connections` maps each namespace the server serves to
   * its open connections; namespaces that only have event counts are listed too.
   */
  getNamespaceStats(connections: ReadonlyMap<string, number>): Record<string, NamespaceStats> {
    let open = 0;
    for (const n of connections.values()) open += n;
    const heap = process.memoryUsage().heapUsed;
    // Null prototypes: event names come from clients (`__proto__` must stay a plain key).
    const out: Record<string, NamespaceStats> = Object.create(null);
    const names = new Set([...connections.keys(), ...this.#events.keys()]);
    for (const name of names) {
      const n = connections.get(name) ?? 0;
      const events: Record<string, number> = Object.create(null);
      for (const [event, count] of this.#events.get(name) ?? []) events[event] = count;
      out[name] = {
        connections: n,
        memoryUsage: `${round(open > 0 ? (heap * n) / open / 1048576 : 0, 1)}MB`,
        events,
      };
    }
    return out;
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `1 − after / before` as `'87.5%'` (`'0%'` when nothing was counted). */
function percent(before: number, after: number): string {
  return before > 0 ? `${round((1 - after / before) * 100, 1)}%` : '0%';
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `425.3 MB`-style sizes (powers of 1024, one decimal). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : round(value, 1)} ${UNITS[unit]}`;
}
