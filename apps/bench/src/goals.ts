// The goals of the bench README (SmartSocket ÷ baseline, same run) and their evaluation; never asserted.
import type { ImplId } from './impls/types.js';
import { METRICS, type MetricDef } from './metrics.js';

export interface Goal {
  metric: string;
  baseline: ImplId;
  op: '<=' | '>=';
  target: number;
  /** The target bounds SmartSocket's own value (median), not a ratio to `baseline`. */
  absolute?: true;
}

export type GoalStatus = 'met' | 'missed' | 'n/a';

const vsSocketIo: Goal[] = [
  { metric: 'memory.heapPerConn', baseline: 'socket.io', op: '<=', target: 0.3 },
  { metric: 'echo.cpuPerMsg', baseline: 'socket.io', op: '<=', target: 0.4 },
  { metric: 'paced.cpuPerDelivery', baseline: 'socket.io', op: '<=', target: 0.6 },
  { metric: 'spread.cpuPerDelivery', baseline: 'socket.io', op: '<=', target: 0.6 },
  { metric: 'tick.cpuPerDelivery', baseline: 'socket.io', op: '<=', target: 0.05 },
  { metric: 'connect.cpuPerConn', baseline: 'socket.io', op: '<=', target: 0.5 },
  // Across three servers on one Redis: total server CPU per delivery.
  { metric: 'redis.all.cpuPerDelivery', baseline: 'socket.io', op: '<=', target: 0.5 },
  { metric: 'redis.room.cpuPerDelivery', baseline: 'socket.io', op: '<=', target: 0.5 },
  // The server without members of the room does (next to) no work for it.
  {
    metric: 'redis.room.idleVsMemberCpu',
    baseline: 'smartsocket',
    op: '<=',
    target: 0.05,
    absolute: true,
  },
  // Long-polling (both sides polling only).
  { metric: 'polling.cpuPerMsg', baseline: 'socket.io', op: '<=', target: 0.5 },
  { metric: 'polling.msgsPerSec', baseline: 'socket.io', op: '>=', target: 2 },
  { metric: 'polling.heapPerSession', baseline: 'socket.io', op: '<=', target: 0.5 },
  // One machine, every core: two node:cluster workers against one process, same load.
  { metric: 'cluster.speedup', baseline: 'smartsocket', op: '>=', target: 1.6, absolute: true },
  // 50,000 idle WebSocket connections in at most 600 MB of server RSS (meaningful at full size).
  { metric: 'idle.rssMB', baseline: 'smartsocket', op: '<=', target: 600, absolute: true },
];

/** Raw ws reference for a metric: broadcasts compare with the frame-once variant. */
export function wsBaseline(def: MetricDef): ImplId {
  // With permessage-deflate ws compresses per socket, so there is no frame-once variant to compare.
  return def.scenario === 'broadcast' ? 'ws-once' : 'ws';
}

/** "Never more than 10 % behind raw ws on any per-message metric." */
const vsWs: Goal[] = METRICS.filter((d) => d.perMessage).map((d) => ({
  metric: d.id,
  baseline: wsBaseline(d),
  op: d.better === 'lower' ? '<=' : '>=',
  target: d.better === 'lower' ? 1.1 : 0.9,
}));

/** Slow consumers: the readers keep their pace, the server its memory bound (1 MiB per socket). */
const slow: Goal[] = [
  { metric: 'slow.rateRatio', baseline: 'smartsocket', op: '>=', target: 0.9, absolute: true },
  {
    metric: 'slow.rssGrowth',
    baseline: 'smartsocket',
    op: '<=',
    target: 100 * 1024 * 1024 + 20 * 1024 * 1024,
    absolute: true,
  },
];

export const GOALS: readonly Goal[] = [...vsSocketIo, ...vsWs, ...slow];

/** Goals attached to one metric. */
export function goalsFor(metric: string): Goal[] {
  return GOALS.filter((g) => g.metric === metric);
}

/** met / missed for a measured ratio; n/a when the ratio is missing. */
export function evaluateGoal(goal: Goal, ratio: number | undefined): GoalStatus {
  if (ratio === undefined || !Number.isFinite(ratio)) return 'n/a';
  return (goal.op === '<=' ? ratio <= goal.target : ratio >= goal.target) ? 'met' : 'missed';
}

/** Short text such as `÷Socket.IO ≤ 0.40`. */
export function goalText(goal: Goal): string {
  if (goal.absolute)
    return `${goal.op === '<=' ? '≤' : '≥'} ${goal.target >= 100 ? goal.target : goal.target.toFixed(2)}`;
  const base = goal.baseline === 'socket.io' ? 'SIO' : goal.baseline;
  return `÷${base} ${goal.op === '<=' ? '≤' : '≥'} ${goal.target.toFixed(2)}`;
}
