// Scenario 5b: SmartSocket with AES-256-GCM sealing against Socket.IO and ws running plain (they have
// no payload encryption), ~100-byte broadcasts as spread and tick bursts: what sealing costs.
import { round } from './broadcast.js';
import { connectClients, cpuPer, type Scenario } from './types.js';

export const encryptedScenario: Scenario = {
  id: 'encrypted',
  title: 'Encrypted broadcast (SmartSocket sealed, others plain)',
  impls: ['smartsocket', 'socket.io', 'ws-once'],
  variant: { compression: false, encryption: true },
  async run(ctx) {
    const cfg = ctx.config.encrypted;
    await connectClients(ctx, cfg.clients, 50);
    await round(ctx, 'spread', 2);
    const spread = await round(ctx, 'spread', cfg.count);
    const tick = await round(ctx, 'tick', cfg.count);
    return {
      'encrypted.spreadCpuPerDelivery': cpuPer(spread.start.cpu, spread.end.cpu, spread.deliveries)
        .total,
      'encrypted.tickCpuPerDelivery': cpuPer(tick.start.cpu, tick.end.cpu, tick.deliveries).total,
      'encrypted.tickDeliveriesPerSec': tick.deliveries / ((tick.lastAt - tick.start.at) / 1000),
    };
  },
};
