// Metrics endpoints over a real HTTP server: JSON stats, Prometheus text, methods, pass-through.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  escapeLabelValue,
  handleMetricsRequest,
  type MetricsSource,
  PROMETHEUS_CONTENT_TYPE,
  renderPrometheus,
} from '../src/metrics-endpoint.js';
import { StatsCollector } from '../src/stats-collector.js';

function source(stats: StatsCollector, connections: Map<string, number>): MetricsSource {
  return {
    getStats: () => stats.getStats(),
    getConnectionStats: () => stats.getConnectionStats(),
    getNamespaceStats: () => stats.getNamespaceStats(connections),
  };
}

let server: Server | undefined;

afterEach(async () => {
  const s = server;
  server = undefined;
  if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
});

async function serve(path: string, src: MetricsSource): Promise<string> {
  server = createServer((req, res) => {
    if (handleMetricsRequest(req, res, path, src)) return;
    res.writeHead(404).end('app route');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function populated(): { stats: StatsCollector; src: MetricsSource } {
  const stats = new StatsCollector();
  stats.connectionOpened('websocket');
  stats.connectionOpened('polling');
  stats.connectionRejected();
  stats.messageIn('/quiz', 'join', 40);
  stats.messageIn('/quiz', 'say "hi"\\\nnow', 40);
  stats.messageOut(125, 1000, true);
  stats.latencySample(8);
  return { stats, src: source(stats, new Map([['/quiz', 2]])) };
}

/** Checks the exposition format line by line; returns samples by `name{labels}`. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (help) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$/.exec(line);
    if (type) {
      expect(types.has(type[1] as string)).toBe(false); // one TYPE per family
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (\S+)$/.exec(
        line,
      );
    expect(sample, line).not.toBeNull();
    const name = sample?.[1] as string;
    expect(types.has(name), `TYPE before ${name}`).toBe(true);
    if (types.get(name) === 'counter') expect(name.endsWith('_total')).toBe(true);
    samples.set(name + (sample?.[2] ?? ''), Number(sample?.[3]));
  }
  return samples;
}

describe('handleMetricsRequest', () => {
  it('serves GET {path}/stats as the JSON of getStats with the transmission block', async () => {
    const { src } = populated();
    const base = await serve('/smartsocket', src);
    const res = await fetch(`${base}/smartsocket/stats?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = await res.json();
    expect(body).toMatchObject({
      connections: 2,
      totalConnections: 2,
      averageLatency: 8,
      transmission: {
        totalMessages: 3,
        averageCompression: '87.5%',
        messagesIn: 2,
        bytesOut: 125,
        compressedFrames: 1,
      },
      connectionStats: { active: 2, total: 2, peak: 2, rejected: 1 },
      namespaces: { '/quiz': { connections: 2, events: { join: 1 } } },
    });
    expect(body.memoryUsage).toMatch(/^\d+MB$/);
    expect(typeof body.uptime).toBe('number');
  });

  it('serves GET {path}/metrics in Prometheus text format 0.0.4 with escaped labels', async () => {
    const { src } = populated();
    const base = await serve('/rt/', src);
    const res = await fetch(`${base}/rt/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    const samples = parseExposition(await res.text());
    expect(samples.get('smartsocket_connections')).toBe(2);
    expect(samples.get('smartsocket_transport_connections{transport="polling"}')).toBe(1);
    expect(samples.get('smartsocket_connections_rejected_total')).toBe(1);
    expect(samples.get('smartsocket_messages_received_total')).toBe(2);
    expect(samples.get('smartsocket_sent_uncompressed_bytes_total')).toBe(1000);
    expect(samples.get('smartsocket_heartbeat_latency_seconds')).toBe(0.008);
    expect(samples.get('smartsocket_namespace_connections{namespace="/quiz"}')).toBe(2);
    expect(
      samples.get(
        'smartsocket_namespace_events_received_total{namespace="/quiz",event="say \\"hi\\"\\\\\\nnow"}',
      ),
    ).toBe(1);
  });

  it('answers HEAD without a body and refuses other methods with 405', async () => {
    const { src } = populated();
    const base = await serve('/smartsocket', src);
    const head = await fetch(`${base}/smartsocket/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
    const post = await fetch(`${base}/smartsocket/stats`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('leaves every other URL to the application', async () => {
    const { src } = populated();
    const base = await serve('/smartsocket', src);
    for (const url of ['/', '/smartsocket', '/smartsocket/statsx', '/other/metrics', '/stats']) {
      const res = await fetch(base + url);
      expect(res.status, url).toBe(404);
      expect(await res.text()).toBe('app route');
    }
  });

  it('answers 500 (and does not crash) when the source throws', async () => {
    const base = await serve('/smartsocket', {
      getStats: () => {
        throw new Error('boom');
      },
      getConnectionStats: () => {
        throw new Error('boom');
      },
      getNamespaceStats: () => ({}),
    });
    expect((await fetch(`${base}/smartsocket/metrics`)).status).toBe(500);
  });
});

describe('renderPrometheus', () => {
  it('renders a fresh collector with valid families and zero values', () => {
    const stats = new StatsCollector();
    const samples = parseExposition(renderPrometheus(source(stats, new Map())));
    expect(samples.get('smartsocket_messages_sent_total')).toBe(0);
    expect(samples.get('smartsocket_connections_peak')).toBe(0);
  });

  it('escapes backslash, double quote and line feed in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});
