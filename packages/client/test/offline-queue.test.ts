import { describe, expect, it } from 'vitest';
import { OfflineQueue } from '../src/offline-queue.js';

function queue(size: number, maxAge: number) {
  let now = 0;
  const dropped: Array<[string, string]> = [];
  const q = new OfflineQueue<string>({
    size,
    maxAge,
    now: () => now,
    onDrop: (item, why) => dropped.push([item, why]),
  });
  return { q, dropped, tick: (ms: number) => (now += ms) };
}

describe('OfflineQueue', () => {
  it('keeps order and drops the oldest when full', () => {
    const { q, dropped } = queue(3, 1000);
    for (const x of ['a', 'b', 'c', 'd', 'e']) q.push(x);
    expect(dropped).toEqual([
      ['a', 'overflow'],
      ['b', 'overflow'],
    ]);
    expect(q.drain()).toEqual(['c', 'd', 'e']);
    expect(q.length).toBe(0);
  });

  it('drops entries older than maxAge', () => {
    const { q, dropped, tick } = queue(10, 100);
    q.push('old');
    tick(60);
    q.push('newer');
    tick(60);
    expect(q.drain()).toEqual(['newer']);
    expect(dropped).toEqual([['old', 'stale']]);
  });

  it('queues nothing with size 0', () => {
    const { q, dropped } = queue(0, 100);
    expect(q.push('x')).toBe(false);
    expect(q.drain()).toEqual([]);
    expect(dropped).toEqual([['x', 'overflow']]);
  });

  it('stays correct over many overflows', () => {
    const { q } = queue(5, 1e9);
    for (let i = 0; i < 1000; i++) q.push(String(i));
    expect(q.drain()).toEqual(['995', '996', '997', '998', '999']);
  });

  it('clear returns everything', () => {
    const { q, tick } = queue(5, 10);
    q.push('a');
    tick(100);
    expect(q.clear()).toEqual(['a']);
  });
});
