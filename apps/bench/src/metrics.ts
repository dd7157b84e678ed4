// Every metric the bench reports: id, label, unit and which direction is better.
import type { ScenarioId } from './config.js';

export interface MetricDef {
  id: string;
  scenario: ScenarioId;
  label: string;
  unit: string;
  better: 'lower' | 'higher';
  /** Per-message metric: SmartSocket should never be more than 10 % behind raw ws. */
  perMessage: boolean;
}

const m = (
  id: string,
  scenario: ScenarioId,
  label: string,
  unit: string,
  better: 'lower' | 'higher',
  perMessage = false,
): MetricDef => ({ id, scenario, label, unit, better, perMessage });

export const METRICS: readonly MetricDef[] = [
  m('echo.msgsPerSec', 'echo', 'echo throughput', 'msg/s', 'higher', true),
  m('echo.cpuPerMsg', 'echo', 'echo server CPU / msg', 'µs', 'lower', true),
  m('echo.cpuUserPerMsg', 'echo', '  user', 'µs', 'lower'),
  m('echo.cpuSysPerMsg', 'echo', '  system', 'µs', 'lower'),
  m('echo.clientCpuPerMsg', 'echo', 'echo client CPU / msg (load process)', 'µs', 'lower'),
  m('echo.p50', 'echo', 'echo latency p50', 'ms', 'lower', true),
  m('echo.p99', 'echo', 'echo latency p99', 'ms', 'lower', true),
  m('paced.p50', 'broadcast', 'paced delivery latency p50', 'ms', 'lower', true),
  m('paced.p99', 'broadcast', 'paced delivery latency p99', 'ms', 'lower', true),
  m('paced.lastClient', 'broadcast', 'paced time to last client', 'ms', 'lower', true),
  m('paced.cpuPerDelivery', 'broadcast', 'paced server CPU / delivery', 'µs', 'lower', true),
  m('paced.clientCpuPerDelivery', 'broadcast', 'paced client CPU / delivery', 'µs', 'lower'),
  m('spread.deliveriesPerSec', 'broadcast', 'spread burst deliveries/s', '1/s', 'higher', true),
  m('spread.cpuPerDelivery', 'broadcast', 'spread server CPU / delivery', 'µs', 'lower', true),
  m('spread.cpuUserPerDelivery', 'broadcast', '  user', 'µs', 'lower'),
  m('spread.cpuSysPerDelivery', 'broadcast', '  system', 'µs', 'lower'),
  m('spread.clientCpuPerDelivery', 'broadcast', 'spread client CPU / delivery', 'µs', 'lower'),
  m('tick.deliveriesPerSec', 'broadcast', 'tick burst deliveries/s', '1/s', 'higher', true),
  m('tick.cpuPerDelivery', 'broadcast', 'tick server CPU / delivery', 'µs', 'lower', true),
  m('tick.cpuUserPerDelivery', 'broadcast', '  user', 'µs', 'lower'),
  m('tick.cpuSysPerDelivery', 'broadcast', '  system', 'µs', 'lower'),
  m('tick.clientCpuPerDelivery', 'broadcast', 'tick client CPU / delivery', 'µs', 'lower'),
  m('memory.heapPerConn', 'memory', 'heap / idle connection', 'B', 'lower'),
  m('memory.rssPerConn', 'memory', 'RSS / idle connection', 'B', 'lower'),
  m('connect.connsPerSec', 'connect', 'connection setup rate', 'conn/s', 'higher'),
  m('connect.cpuPerConn', 'connect', 'server CPU / new connection', 'µs', 'lower'),
  m('connect.cpuUserPerConn', 'connect', '  user', 'µs', 'lower'),
  m('connect.cpuSysPerConn', 'connect', '  system', 'µs', 'lower'),
  m(
    'compressed.deliveriesPerSec',
    'compressed',
    'compressed 4 KB deliveries/s',
    '1/s',
    'higher',
    true,
  ),
  m(
    'compressed.cpuPerDelivery',
    'compressed',
    'compressed server CPU / delivery',
    'µs',
    'lower',
    true,
  ),
  m(
    'compressed.bytesPerDelivery',
    'compressed',
    'compressed bytes written / delivery',
    'B',
    'lower',
  ),
  m(
    'encrypted.spreadCpuPerDelivery',
    'encrypted',
    'sealed spread server CPU / delivery',
    'µs',
    'lower',
  ),
  m(
    'encrypted.tickCpuPerDelivery',
    'encrypted',
    'sealed tick server CPU / delivery',
    'µs',
    'lower',
  ),
  m('encrypted.tickDeliveriesPerSec', 'encrypted', 'sealed tick deliveries/s', '1/s', 'higher'),
  m(
    'recovery.spreadCpuPerDelivery',
    'recovery',
    'recovery on: spread server CPU / delivery',
    'µs',
    'lower',
  ),
  m(
    'recovery.tickCpuPerDelivery',
    'recovery',
    'recovery on: tick server CPU / delivery',
    'µs',
    'lower',
  ),
  m('recovery.heapPerConn', 'recovery', 'recovery on: heap / idle connection', 'B', 'lower'),
  m('slow.rssGrowth', 'slow', 'stalled clients: server RSS growth', 'B', 'lower'),
  m('slow.readersPerSec', 'slow', 'stalled clients: readers deliveries/s', '1/s', 'higher'),
  m('slow.baselinePerSec', 'slow', 'no stalled clients: deliveries/s', '1/s', 'higher'),
  m('slow.rateRatio', 'slow', 'readers rate ÷ rate without stalled', '×', 'higher'),
  m('redis.all.deliveriesPerSec', 'redis', '3 servers, to everyone: deliveries/s', '1/s', 'higher'),
  m(
    'redis.all.cpuPerDelivery',
    'redis',
    '3 servers, to everyone: all servers CPU / delivery',
    'µs',
    'lower',
  ),
  m(
    'redis.all.redisCpuPerBroadcast',
    'redis',
    '3 servers, to everyone: Redis CPU / broadcast',
    'µs',
    'lower',
  ),
  m(
    'redis.room.deliveriesPerSec',
    'redis',
    '3 servers, to a room on 2: deliveries/s',
    '1/s',
    'higher',
  ),
  m(
    'redis.room.cpuPerDelivery',
    'redis',
    '3 servers, to a room on 2: all servers CPU / delivery',
    'µs',
    'lower',
  ),
  m(
    'redis.room.idleServerCpuPerBroadcast',
    'redis',
    '3 servers, to a room on 2: non-member server CPU / broadcast',
    'µs',
    'lower',
  ),
  m(
    'redis.room.idleVsMemberCpu',
    'redis',
    '3 servers, to a room on 2: non-member ÷ member server CPU',
    '×',
    'lower',
  ),
  m(
    'redis.room.redisCpuPerBroadcast',
    'redis',
    '3 servers, to a room on 2: Redis CPU / broadcast',
    'µs',
    'lower',
  ),
  m('polling.msgsPerSec', 'polling', 'polling echo throughput', 'msg/s', 'higher'),
  m('polling.cpuPerMsg', 'polling', 'polling echo server CPU / msg', 'µs', 'lower'),
  m('polling.cpuUserPerMsg', 'polling', '  user', 'µs', 'lower'),
  m('polling.cpuSysPerMsg', 'polling', '  system', 'µs', 'lower'),
  m('polling.clientCpuPerMsg', 'polling', 'polling echo client CPU / msg', 'µs', 'lower'),
  m('polling.p50', 'polling', 'polling echo latency p50', 'ms', 'lower'),
  m('polling.p99', 'polling', 'polling echo latency p99', 'ms', 'lower'),
  m('polling.heapPerSession', 'polling', 'heap / idle polling session', 'B', 'lower'),
  m('polling.rssPerSession', 'polling', 'RSS / idle polling session', 'B', 'lower'),
];

export const metricById = new Map(METRICS.map((d) => [d.id, d]));
