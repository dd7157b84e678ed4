import { SmartSocketError } from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import { AckRegistry } from '../src/ack-registry.js';
import { ManualClock } from './helpers/manual-clock.js';

function setup() {
  const clock = new ManualClock();
  const acks = new AckRegistry(clock);
  const results: Array<[string | null, unknown]> = [];
  const create = (timeout = 100) =>
    acks.create('ev', timeout, (err: SmartSocketError | null, res?: unknown) =>
      results.push([err ? err.code : null, res]),
    );
  return { clock, acks, results, create };
}

describe('AckRegistry', () => {
  it('resolves by id exactly once and ignores unknown ids', () => {
    const { acks, results, create, clock } = setup();
    const id = acks.bind(create());
    expect(id).toBe(1);
    expect(acks.resolve(id, 'ok')).toBe(true);
    expect(acks.resolve(id, 'again')).toBe(false);
    expect(acks.resolve(99, 'x')).toBe(false);
    clock.advance(1000);
    expect(results).toEqual([[null, 'ok']]);
    expect(clock.pending).toBe(0);
  });

  it('times out with ERR_ACK_001', () => {
    const { acks, results, create, clock } = setup();
    acks.bind(create(50));
    clock.advance(49);
    expect(results).toEqual([]);
    clock.advance(1);
    expect(results).toEqual([['ERR_ACK_001', undefined]]);
    expect(acks.size).toBe(0);
  });

  it('fails sent acks on connection loss and restarts ids, keeps unsent ones', () => {
    const { acks, results, create } = setup();
    acks.bind(create());
    acks.bind(create());
    const queued = create();
    acks.failSent(new SmartSocketError('ERR_CONN_006'));
    expect(results).toEqual([
      ['ERR_CONN_006', undefined],
      ['ERR_CONN_006', undefined],
    ]);
    expect(acks.bind(queued)).toBe(1);
    expect(acks.size).toBe(1);
  });

  it('rejects by id with the given error', () => {
    const { acks, results, create } = setup();
    const id = acks.bind(create());
    expect(acks.reject(id, new SmartSocketError('ERR_MW_001'))).toBe(true);
    expect(results).toEqual([['ERR_MW_001', undefined]]);
  });
});
