// Scenario 5a: spread burst of ~4 KB JSON broadcasts with per-message compression on
// (SmartSocket: DEFLATE once per broadcast; Socket.IO and ws: permessage-deflate per socket).
import { round } from './broadcast.js';
import { connectClients, cpuPer, type Scenario } from './types.js';

export const compressedScenario: Scenario = {
  id: 'compressed',
  title: 'Compressed broadcast',
  impls: ['smartsocket', 'socket.io', 'ws'],
  variant: { compression: true },
  async run(ctx) {
    const cfg = ctx.config.compressed;
    await connectClients(ctx, cfg.clients, 50);
    const payload = { payload: 'json' as const, payloadBytes: cfg.payloadBytes };
    await round(ctx, 'spread', 2, payload);
    const r = await round(ctx, 'spread', cfg.count, payload);
    const cpu = cpuPer(r.start.cpu, r.end.cpu, r.deliveries);
    return {
      'compressed.deliveriesPerSec': r.deliveries / ((r.lastAt - r.start.at) / 1000),
      'compressed.cpuPerDelivery': cpu.total,
      'compressed.bytesPerDelivery': (r.end.written - r.start.written) / r.deliveries,
    };
  },
};
