// StatsCollector: connection counters, transmission block, sliding rates, bounded event names.
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  MAX_TRACKED_NAMES,
  OTHER_EVENTS,
  StatsCollector,
} from '../src/stats-collector.js';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('StatsCollector', () => {
  it('counts connections: active, total, peak, rejected, per transport', () => {
    const stats = new StatsCollector(clock().now);
    stats.connectionOpened('websocket');
    stats.connectionOpened('websocket');
    stats.connectionOpened('polling');
    stats.connectionClosed('websocket');
    stats.connectionRejected();
    stats.connectionRejected();
    expect(stats.getConnectionStats()).toEqual({
      active: 2,
      total: 3,
      peak: 3,
      rejected: 2,
      byTransport: { websocket: 1, polling: 1 },
    });
    stats.connectionClosed('websocket');
    stats.connectionClosed('polling');
    // Closing more than was opened never goes negative.
    stats.connectionClosed('polling');
    expect(stats.getConnectionStats()).toMatchObject({ active: 0, peak: 3, total: 3 });
    expect(stats.getConnectionStats().byTransport).toEqual({ websocket: 0, polling: 0 });
    expect(stats.getStats()).toMatchObject({ connections: 0, totalConnections: 3 });
  });

  it('reports the documented shape with uptime in ms and memory as "NMB"', () => {
    const c = clock();
    const stats = new StatsCollector(c.now);
    c.t += 4321;
    const s = stats.getStats();
    expect(s.uptime).toBe(4321);
    expect(s.memoryUsage).toMatch(/^\d+MB$/);
    expect(s.memoryBytes).toBeGreaterThan(0);
    expect(s).toMatchObject({ connections: 0, messagesPerSecond: 0, averageLatency: 0 });
    expect(s.transmission).toEqual({
      totalMessages: 0,
      averageLatency: '0ms',
      averageSpeed: '0 B/s',
      averageCompression: '0%',
      totalDataTransmitted: '0 B',
      totalCompressed: '0 B',
      bandwidthSaved: '0%',
      messagesIn: 0,
      messagesOut: 0,
      bytesIn: 0,
      bytesOut: 0,
      plainBytesOut: 0,
      compressedFrames: 0,
      droppedMessages: 0,
      volatileDrops: 0,
      oldestDrops: 0,
      bytesPerSecond: 0,
      rateLimited: 0,
      slowConsumers: 0,
    });
  });

  it('fills the transmission block from messages, compression and drops', () => {
    const c = clock();
    const stats = new StatsCollector(c.now);
    stats.messageIn('/', 'chat', 100);
    stats.messageOut(125, 1000, true); // compressed: saves 87.5 %
    stats.messageOut(300, 300, false);
    stats.dropped();
    stats.dropped(4);
    stats.dropped('volatile');
    stats.dropped('oldest');
    stats.dropped('oldest');
    c.t += 5000;
    const t = stats.getStats().transmission;
    expect(t).toMatchObject({
      totalMessages: 3,
      messagesIn: 1,
      messagesOut: 2,
      bytesIn: 100,
      bytesOut: 425,
      plainBytesOut: 1300,
      compressedFrames: 1,
      droppedMessages: 8,
      volatileDrops: 1,
      oldestDrops: 2,
      averageCompression: '87.5%',
      totalDataTransmitted: '1.3 KB',
      totalCompressed: '425 B',
      bandwidthSaved: '67.3%',
    });
    // 525 wire bytes over the 5 s of uptime.
    expect(t.bytesPerSecond).toBe(105);
    expect(t.averageSpeed).toBe('105 B/s');
  });

  it('counts rate-limit refusals and slow consumers', () => {
    const stats = new StatsCollector();
    stats.rateLimited();
    stats.rateLimited();
    stats.slowConsumer();
    expect(stats.getStats().transmission).toMatchObject({ rateLimited: 2, slowConsumers: 1 });
  });

  it('measures messagesPerSecond over a sliding 10 s window', () => {
    const c = clock(0);
    const stats = new StatsCollector(c.now);
    for (let i = 0; i < 50; i++) stats.messageIn('/', 'e', 10);
    // During the first seconds the rate is over the uptime (at least 1 s), not 10 s.
    c.t = 500;
    expect(stats.getStats().messagesPerSecond).toBe(50);
    c.t = 5000;
    expect(stats.getStats().messagesPerSecond).toBe(10);
    for (let t = 5000; t < 20_000; t += 100) {
      c.t = t;
      stats.messageOut(10, 10, false); // 10 per second, steadily
    }
    c.t = 20_000;
    expect(stats.getStats().messagesPerSecond).toBe(10);
    c.t = 25_000; // the window now spans 16-25 s: 40 messages in 9 s
    expect(stats.getStats().messagesPerSecond).toBe(4.44);
    c.t = 60_000;
    expect(stats.getStats().messagesPerSecond).toBe(0);
    expect(stats.getStats().transmission.totalMessages).toBe(200);
  });

  it('averages heartbeat latency over the last minute, falling back to the all-time mean', () => {
    const c = clock(0);
    const stats = new StatsCollector(c.now);
    stats.latencySample(10);
    stats.latencySample(20);
    stats.latencySample(Number.NaN); // ignored
    stats.latencySample(-1); // ignored
    expect(stats.getStats().averageLatency).toBe(15);
    expect(stats.getStats().transmission.averageLatency).toBe('15ms');
    c.t = 120_000;
    stats.latencySample(4.25);
    expect(stats.getStats().averageLatency).toBe(4.25);
    expect(stats.getStats().transmission.averageLatency).toBe('4.3ms');
    c.t = 300_000; // nothing recent: mean of everything
    expect(stats.getStats().averageLatency).toBe(11.42);
  });

  it('counts events per namespace and lists namespaces without connections too', () => {
    const stats = new StatsCollector(clock().now);
    stats.messageIn('/quiz', 'join', 10);
    stats.messageIn('/quiz', 'join', 10);
    stats.messageIn('/quiz', 'answer', 10);
    stats.messageIn('/old', 'x', 10);
    const ns = stats.getNamespaceStats(
      new Map([
        ['/', 2],
        ['/quiz', 6],
      ]),
    );
    expect(Object.keys(ns).sort()).toEqual(['/', '/old', '/quiz']);
    expect(ns['/quiz']).toMatchObject({ connections: 6, events: { join: 2, answer: 1 } });
    expect(ns['/']).toMatchObject({ connections: 2, events: {} });
    expect(ns['/old']).toMatchObject({ connections: 0, events: { x: 1 }, memoryUsage: '0MB' });
    expect(ns['/quiz']?.memoryUsage).toMatch(/^\d+(\.\d)?MB$/);
  });

  it('bounds the event names per namespace; the rest go to the overflow bucket', () => {
    const stats = new StatsCollector(clock().now);
    for (let i = 0; i < MAX_TRACKED_NAMES + 500; i++) stats.messageIn('/', `e${i}`, 1);
    stats.messageIn('/', 'e0', 1); // an already tracked name keeps counting by name
    stats.messageIn('/', '__proto__', 1); // and hostile names are plain keys
    const events = stats.getNamespaceStats(new Map([['/', 1]]))['/']?.events ?? {};
    expect(Object.keys(events)).toHaveLength(MAX_TRACKED_NAMES + 1);
    expect(events.e0).toBe(2);
    expect(events[OTHER_EVENTS]).toBe(501);
    expect(Object.getPrototypeOf(events)).toBeNull();
  });

  it('bounds the namespaces tracked by name as well', () => {
    const stats = new StatsCollector(clock().now);
    for (let i = 0; i <= MAX_TRACKED_NAMES + 10; i++) stats.messageIn(`/n${i}`, 'e', 1);
    const ns = stats.getNamespaceStats(new Map());
    expect(Object.keys(ns)).toHaveLength(MAX_TRACKED_NAMES + 1);
    expect(ns[OTHER_EVENTS]?.events.e).toBe(11);
  });

  it('formats sizes like the seed', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(8704)).toBe('8.5 KB');
    expect(formatBytes(425.3 * 1024 * 1024)).toBe('425.3 MB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3 TB');
  });
});
