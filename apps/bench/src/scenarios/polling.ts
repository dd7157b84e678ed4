// Scenario 6: echo over HTTP long-polling (SmartSocket and Socket.IO, both polling only), sized
// for HTTP, then server memory per idle polling session.
import { measureEcho } from './echo.js';
import { measureIdleMemory } from './memory.js';
import type { Scenario } from './types.js';

export const pollingScenario: Scenario = {
  id: 'polling',
  title: 'Echo over long-polling',
  impls: ['smartsocket', 'socket.io'],
  variant: { compression: false, polling: true },
  async run(ctx) {
    const cfg = ctx.config.polling;
    const echo = await measureEcho(ctx, cfg, 'polling');
    await Promise.all(ctx.loaders.map((l) => l.call('closeAll')));
    await ctx.server.call('waitConnections', { count: 0, timeoutMs: 20_000 }, 25_000);
    const memory = await measureIdleMemory(ctx, {
      conns: cfg.idleSessions,
      concurrency: cfg.concurrency,
    });
    return {
      ...echo,
      'polling.heapPerSession': memory.heapPerConn,
      'polling.rssPerSession': memory.rssPerConn,
    };
  },
};
