// Servers in child processes: a server with no members of a room reads next to nothing while
// 2,000 broadcasts of 1 KB go to that room; a SIGKILLed server does not hold up requests.
import { SmartSocketClient } from '@smartsocket/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from './support/child-server.js';
import { adapterOf, Fixture, fastLiveness } from './support/cluster-fixture.js';
import { type RedisServer, startRedis } from './support/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe('servers in child processes', () => {
  const fx = new Fixture(() => ({ url: redis.url }));
  const children: ChildServer[] = [];
  const remoteClients: SmartSocketClient[] = [];
  afterEach(async () => {
    for (const c of remoteClients.splice(0)) c.disconnect();
    await fx.close();
    await Promise.all(children.splice(0).map((c) => c.kill()));
  });

  async function child(): Promise<ChildServer> {
    const c = await startChildServer(redis.url, fastLiveness);
    children.push(c);
    return c;
  }

  async function clientOf(c: ChildServer, room?: string): Promise<SmartSocketClient> {
    const client = new SmartSocketClient(`ws://127.0.0.1:${c.port}`);
    remoteClients.push(client);
    await client.connect();
    if (room) await client.emitWithAck('join', room);
    return client;
  }

  it('a server without members of the room reads next to nothing from Redis', async () => {
    const [member, idle] = await Promise.all([child(), child()]);
    const [a] = await fx.start(1);
    await expect.poll(() => adapterOf(a!).serverCount(), { timeout: 20_000 }).toBe(3);
    const listener = await clientOf(member, 'R');
    const N = 2000;
    let got = 0;
    const all = new Promise<void>((resolve) =>
      listener.on('news', () => {
        if (++got === N) resolve();
      }),
    );
    const payload = 'x'.repeat(1024);
    const idleBefore = idle.rchar();
    const memberBefore = member.rchar();
    for (let i = 0; i < N; i++) {
      a!.to('R').emit('news', payload);
      if (i % 100 === 99) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await all;
    const idleRead = idle.rchar() - idleBefore;
    const memberRead = member.rchar() - memberBefore;
    console.log(
      `[non-member] ${N} broadcasts of 1 KB to a room: member server read ${memberRead} B, ` +
        `non-member server read ${idleRead} B`,
    );
    expect(memberRead).toBeGreaterThan(N * 1024);
    // Heartbeats only: well under 5 % of what the member read.
    expect(idleRead).toBeLessThan(memberRead * 0.05);
  }, 60_000);

  it('fetchSockets and broadcasts with acks resolve with the live servers after a SIGKILL', async () => {
    const doomed = await child();
    const [a, b] = await fx.start(2);
    await expect.poll(() => adapterOf(a!).serverCount(), { timeout: 20_000 }).toBe(3);
    const onDoomed = await clientOf(doomed);
    onDoomed.on('q', (_: unknown, ack?: (r: unknown) => void) => ack?.('doomed'));
    const onB = await fx.connect(b!);
    onB.on('q', (_: unknown, ack?: (r: unknown) => void) => ack?.('b'));
    expect(await a!.fetchSockets()).toHaveLength(2);

    await doomed.kill('SIGKILL');
    const started = Date.now();
    const [sockets, answers] = await Promise.all([
      a!.fetchSockets(),
      a!.timeout(fastLiveness.requestsTimeout).emitWithAck('q', 1),
    ]);
    const elapsed = Date.now() - started;
    expect(sockets.map((s) => s.id)).toEqual([onB.id]);
    expect(answers).toEqual(['b']);
    expect(elapsed).toBeLessThan(fastLiveness.requestsTimeout);
    expect(adapterOf(a!).serverCount()).toBe(2);
  }, 60_000);
});
