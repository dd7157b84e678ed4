import { describe, expect, it } from 'vitest';
import { askApp, callApp } from '../src/index.js';

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
