import { describe, expect, it } from 'vitest';
import { AppEmitter, askApp, callApp } from '../src/index.js';

describe('callApp', () => {
  it('passes arguments and reports a synchronous throw', () => {
    const seen: unknown[] = [];
    const boom = new Error('boom');
    let got: unknown[] = [];
    callApp(
      (e) => seen.push(e),
      (...args: unknown[]) => {
        got = args;
        throw boom;
      },
      1,
      'two',
    );
    expect(got).toEqual([1, 'two']);
    expect(seen).toEqual([boom]);
  });

  it('reports a rejected promise instead of leaving it unhandled', async () => {
    const boom = new Error('later');
    const reported = new Promise((resolve) => callApp(resolve, async () => Promise.reject(boom)));
    await expect(reported).resolves.toBe(boom);
  });
});

describe('askApp', () => {
  it('resolves with the value of a sync or async hook', async () => {
    const sink = () => expect.unreachable();
    await expect(askApp(sink, (n: number) => n + 1, 1)).resolves.toEqual({ ok: true, value: 2 });
    await expect(askApp(sink, async () => 'x')).resolves.toEqual({ ok: true, value: 'x' });
  });

  it('never rejects: a throw or a rejection is reported and returned', async () => {
    const seen: unknown[] = [];
    const boom = new Error('no');
    const a = await askApp(
      (e) => seen.push(e),
      () => {
        throw boom;
      },
    );
    const b = await askApp(
      (e) => seen.push(e),
      async () => Promise.reject(boom),
    );
    expect(a).toEqual({ ok: false, error: boom });
    expect(b).toEqual({ ok: false, error: boom });
    expect(seen).toEqual([boom, boom]);
  });
});

describe('AppEmitter', () => {
  it('calls every listener even when one throws or rejects, and reports both', async () => {
    const seen: unknown[] = [];
    const calls: string[] = [];
    const emitter = new AppEmitter();
    emitter.on('x', () => {
      calls.push('a');
      throw new Error('sync');
    });
    emitter.on('x', async () => {
      calls.push('b');
      throw new Error('async');
    });
    emitter.on('x', (v: number) => calls.push(`c${v}`));
    let reported!: () => void;
    const both = new Promise<void>((r) => (reported = r));
    const sink = (e: unknown): void => {
      seen.push((e as Error).message);
      if (seen.length === 2) reported();
    };
    expect(emitter.emit(sink, 'x', 1)).toBe(true);
    expect(calls).toEqual(['a', 'b', 'c1']);
    await both;
    expect(seen).toEqual(['sync', 'async']);
    expect(emitter.emit(sink, 'none')).toBe(false);
  });

  it('once listeners run once; off removes one or all; a snapshot is taken per emit', () => {
    const sink = () => expect.unreachable();
    const emitter = new AppEmitter();
    const calls: string[] = [];
    const a = () => calls.push('a');
    emitter.once('x', a);
    emitter.on('x', () => {
      calls.push('b');
      emitter.on('x', () => calls.push('late'));
    });
    emitter.emit(sink, 'x');
    expect(calls).toEqual(['a', 'b']);
    expect(emitter.listenerCount('x')).toBe(2);
    emitter.on('y', a).on('y', a).off('y', a);
    expect(emitter.listenerCount('y')).toBe(1);
    emitter.off('x');
    expect(emitter.listenerCount('x')).toBe(0);
    emitter.removeAll();
    expect(emitter.listeners('y')).toEqual([]);
  });
});
