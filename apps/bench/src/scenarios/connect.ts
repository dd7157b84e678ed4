// Scenario 4: connection setup rate and server CPU per new connection.
import type { ServerMark } from '../server-commands.js';
import { connectClients, cpuPer, type Scenario } from './types.js';

export const connectScenario: Scenario = {
  id: 'connect',
  title: 'Connection setup',
  impls: ['smartsocket', 'socket.io', 'ws'],
  async run(ctx) {
    const cfg = ctx.config.connect;
    const { s0, s1, ms } = await ctx.window(async () => {
      const s0 = await ctx.server.call<ServerMark>('mark');
      const ms = await connectClients(ctx, cfg.count, cfg.concurrency);
      const s1 = await ctx.server.call<ServerMark>('mark');
      return { s0, s1, ms };
    });
    const cpu = cpuPer(s0.cpu, s1.cpu, cfg.count);
    return {
      'connect.connsPerSec': cfg.count / (ms / 1000),
      'connect.cpuPerConn': cpu.total,
      'connect.cpuUserPerConn': cpu.user,
      'connect.cpuSysPerConn': cpu.system,
    };
  },
};
