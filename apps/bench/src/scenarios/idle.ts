// Scenario 8: one server holding many idle WebSocket connections (50,000 in the full run): its
// whole RSS and heap, and both per connection, from several loopback source addresses.
import { measureIdleMemory } from './memory.js';
import type { Scenario } from './types.js';

const MB = 1024 * 1024;
/** Loopback source addresses 127.0.0.2 … 127.0.0.254. */
const ADDRESSES = 253;

/**
 * Source address of loader `i`: 127.0.0.2, 127.0.0.3, … (all of 127.0.0.0/8 is loopback on
 * Linux), so each address needs only its share of the kernel's ephemeral port range.
 */
export function loaderSourceAddress(i: number): string {
  if (i < 0 || i >= ADDRESSES) throw new Error(`no loopback source address for loader ${i}`);
  return `127.0.0.${2 + i}`;
}

let handedOut = 0;

/**
 * Source addresses for one trial's loaders, different from the previous trials' (wrapping after
 * 253): a connect from a bound address cannot reuse a port still in TIME_WAIT (60 s) from the
 * connections the previous trial closed, so reusing the addresses would run out of ports.
 */
export function freshSourceAddresses(loaders: number): (i: number) => string {
  if (loaders > ADDRESSES) throw new Error(`at most ${ADDRESSES} loaders`);
  if (handedOut + loaders > ADDRESSES) handedOut = 0;
  const first = handedOut;
  handedOut += loaders;
  return (i) => loaderSourceAddress(first + i);
}

export const idleScenario: Scenario = {
  id: 'idle',
  title: 'Many idle connections',
  impls: ['smartsocket', 'socket.io', 'ws'],
  loaders: (config) => config.idle.loaders,
  async run(ctx) {
    const m = await measureIdleMemory(ctx, ctx.config.idle, {
      sourceAddress: freshSourceAddresses(ctx.loaders.length),
    });
    return {
      'idle.conns': ctx.config.idle.conns,
      'idle.rssMB': m.rss / MB,
      'idle.heapMB': m.heapUsed / MB,
      'idle.rssPerConn': m.rssPerConn,
      'idle.heapPerConn': m.heapPerConn,
    };
  },
};
