// HTTP endpoints for live metrics: `GET {path}/stats` (JSON) and `GET {path}/metrics` (Prometheus).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConnectionStats, NamespaceStats, ServerStats } from './stats-collector.js';

/** Where the endpoints read their numbers (the server, or a {@link StatsCollector} wrapper). */
export interface MetricsSource {
  getStats(): ServerStats;
  getConnectionStats(): ConnectionStats;
  getNamespaceStats(): Record<string, NamespaceStats>;
}

/** Content type of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Answers `GET`/`HEAD` `{path}/stats` with the JSON of `getStats()` (plus `connectionStats` and
 * `namespaces`) and `{path}/metrics` with Prometheus text. Other methods on those two URLs get
 * 405. Returns false, without touching `res`, for any other URL, so the caller can pass the
 * request on (e.g. to the application's own routes).
 *
 * @example
 * http.createServer((req, res) => {
 *   if (handleMetricsRequest(req, res, '/smartsocket', server)) return;
 *   app(req, res);
 * });
 */
export function handleMetricsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  source: MetricsSource,
): boolean {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  const base = path.endsWith('/') ? path.slice(0, -1) : path;
  let kind: 'stats' | 'metrics';
  if (pathname === `${base}/stats`) kind = 'stats';
  else if (pathname === `${base}/metrics`) kind = 'metrics';
  else return false;

  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Method Not Allowed\n');
    return true;
  }
  let body: string;
  let type: string;
  try {
    if (kind === 'stats') {
      body = JSON.stringify({
        ...source.getStats(),
        connectionStats: source.getConnectionStats(),
        namespaces: source.getNamespaceStats(),
      });
      type = 'application/json; charset=utf-8';
    } else {
      body = renderPrometheus(source);
      type = PROMETHEUS_CONTENT_TYPE;
    }
  } catch {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Internal Server Error\n');
    return true;
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

type Labels = Record<string, string>;

/** Escapes a label value: backslash, double quote and line feed (exposition format 0.0.4). */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** Accumulates metric families: HELP and TYPE once per family, then its samples. */
class Exposition {
  #out = '';

  family(
    name: string,
    type: 'counter' | 'gauge',
    help: string,
    samples: Array<[Labels, number]>,
  ): void {
    this.#out += `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
    for (const [labels, value] of samples) {
      const keys = Object.keys(labels);
      const l =
        keys.length === 0
          ? ''
          : `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k] as string)}"`).join(',')}}`;
      this.#out += `${name}${l} ${formatValue(value)}\n`;
    }
  }

  one(name: string, type: 'counter' | 'gauge', help: string, value: number): void {
    this.family(name, type, help, [[{}, value]]);
  }

  toString(): string {
    return this.#out;
  }
}

/**
 * Renders `source` in the Prometheus text exposition format 0.0.4 (metric names prefixed
 * `smartsocket_`, counters suffixed `_total`, times in seconds, sizes in bytes).
 */
export function renderPrometheus(source: MetricsSource): string {
  const stats = source.getStats();
  const conn = source.getConnectionStats();
  const namespaces = source.getNamespaceStats();
  const t = stats.transmission;
  const m = new Exposition();
  m.one('smartsocket_connections', 'gauge', 'Connections open now.', conn.active);
  m.family(
    'smartsocket_transport_connections',
    'gauge',
    'Connections open now, per transport.',
    Object.entries(conn.byTransport).map(([transport, n]) => [{ transport }, n]),
  );
  m.one('smartsocket_connections_peak', 'gauge', 'Most connections open at once.', conn.peak);
  m.one('smartsocket_connections_opened_total', 'counter', 'Connections accepted.', conn.total);
  m.one('smartsocket_connections_rejected_total', 'counter', 'Connections refused.', conn.rejected);
  m.one(
    'smartsocket_uptime_seconds',
    'gauge',
    'Seconds since the server started.',
    stats.uptime / 1000,
  );
  m.one(
    'smartsocket_memory_resident_bytes',
    'gauge',
    'Resident memory of the process.',
    stats.memoryBytes,
  );
  m.one(
    'smartsocket_messages_per_second',
    'gauge',
    'Messages in and out per second over the last 10 s.',
    stats.messagesPerSecond,
  );
  m.one(
    'smartsocket_heartbeat_latency_seconds',
    'gauge',
    'Mean heartbeat round trip over the last minute.',
    stats.averageLatency / 1000,
  );
  m.one('smartsocket_messages_received_total', 'counter', 'Messages received.', t.messagesIn);
  m.one(
    'smartsocket_messages_sent_total',
    'counter',
    'Messages sent (once per recipient).',
    t.messagesOut,
  );
  m.one(
    'smartsocket_messages_dropped_total',
    'counter',
    'Outgoing messages dropped under backpressure.',
    t.droppedMessages,
  );
  m.one(
    'smartsocket_volatile_drops_total',
    'counter',
    'Volatile messages dropped because their socket was past maxBufferedBytes.',
    t.volatileDrops,
  );
  m.one(
    'smartsocket_oldest_drops_total',
    'counter',
    'Waiting messages discarded oldest first to keep a socket within maxBufferedBytes.',
    t.oldestDrops,
  );
  m.one(
    'smartsocket_rate_limited_total',
    'counter',
    'Incoming events refused by the rate limiter.',
    t.rateLimited,
  );
  m.one(
    'smartsocket_slow_consumers_total',
    'counter',
    'Connections cut off for not reading fast enough.',
    t.slowConsumers,
  );
  m.one(
    'smartsocket_messages_compressed_total',
    'counter',
    'Messages sent compressed.',
    t.compressedFrames,
  );
  m.one('smartsocket_received_bytes_total', 'counter', 'Wire bytes received.', t.bytesIn);
  m.one('smartsocket_sent_bytes_total', 'counter', 'Wire bytes sent.', t.bytesOut);
  m.one(
    'smartsocket_sent_uncompressed_bytes_total',
    'counter',
    'Bytes sent, counted before compression.',
    t.plainBytesOut,
  );
  const names = Object.keys(namespaces);
  m.family(
    'smartsocket_namespace_connections',
    'gauge',
    'Connections open now, per namespace.',
    names.map((namespace) => [{ namespace }, namespaces[namespace]?.connections ?? 0]),
  );
  const events: Array<[Labels, number]> = [];
  for (const namespace of names) {
    for (const [event, n] of Object.entries(namespaces[namespace]?.events ?? {})) {
      events.push([{ namespace, event }, n]);
    }
  }
  m.family(
    'smartsocket_namespace_events_received_total',
    'counter',
    'Events received, per namespace and event name (names past 1000 per namespace count as __other__).',
    events,
  );
  return m.toString();
}
