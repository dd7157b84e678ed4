// Malformed input never crashes the server or affects other sockets; fuzzed from raw ws clients.
import {
  concatFrames,
  decodeFrames,
  encodeFrame,
  encodeMessage,
  FrameFlag,
  FrameType,
} from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmartSocket } from '../src/index.js';
import { Cleanup, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

async function withBystander(server: SmartSocket): Promise<TestClient> {
  server.on('ping', (_s, data, ack) => ack?.(data));
  return cleanup.client(await TestClient.connect(server));
}

async function expectServing(client: TestClient): Promise<void> {
  expect((await client.request('ping', 'still here')).data).toBe('still here');
}

describe('malformed frames close the connection with ERR_MSG_001 (1002)', () => {
  const event = encodeMessage({ type: FrameType.EVENT, event: 'ping', data: 1 });
  const cases: [string, Uint8Array | string][] = [
    ['garbage', Uint8Array.of(0xde, 0xad, 0xbe, 0xef)],
    ['bad version', Uint8Array.from([0x02, ...event.subarray(1)])],
    ['unknown type', Uint8Array.from([0x01, 0x09, ...event.subarray(2)])],
    ['reserved flag', Uint8Array.from([0x01, 0x03, 0x01, ...event.subarray(3)])],
    ['truncated', event.subarray(0, event.length - 1)],
    [
      'length past the end',
      Uint8Array.from([...event.subarray(0, event.length - 5), 0xff, 0xff, 0xff, 0x00, 0x31]),
    ],
    ['text message', 'hello'],
    ['bad UTF-8 event name', Uint8Array.of(1, 3, 0, 0, 1, 0x2f, 0, 2, 0xc3, 0x28, 0, 0, 0, 0)],
  ];
  it.each(cases)('%s', async (_name, bytes) => {
    const server = await startServer(cleanup);
    const bystander = await withBystander(server);
    const client = cleanup.client(await TestClient.connect(server));
    client.sendRaw(bytes);
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_001' });
    expect((await client.closed).code).toBe(1002);
    await expectServing(bystander);
  });
});

describe('protocol misuse', () => {
  it('an event before CONNECT is ERR_MSG_001 and closes', async () => {
    const server = await startServer(cleanup);
    const client = cleanup.client(await TestClient.open(server));
    client.emit('early', 1);
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_001' });
    expect((await client.closed).code).toBe(1002);
  });

  it('a duplicate CONNECT is ERR_MSG_001; the session continues', async () => {
    const server = await startServer(cleanup);
    const client = await withBystander(server);
    client.send({ type: FrameType.CONNECT, data: { caps: {} } });
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_001' });
    await expectServing(client);
  });

  it('bad JSON in an EVENT answers ERR_MSG_001 with its ackId; the session continues', async () => {
    const server = await startServer(cleanup);
    let reached = 0;
    server.on('bad', () => reached++);
    const client = await withBystander(server);
    client.sendRaw(
      encodeFrame({ type: FrameType.EVENT, event: 'bad', ackId: 77, data: utf8('{nope') }),
    );
    expect((await client.nextError()).data).toMatchObject({
      code: 'ERR_MSG_001',
      event: 'bad',
      ackId: 77,
    });
    expect(reached).toBe(0);
    await expectServing(client);
  });

  it('a section flagged compressed or encrypted that was not negotiated is refused', async () => {
    const server = await startServer(cleanup);
    const client = await withBystander(server);
    client.sendRaw(
      encodeFrame({
        type: FrameType.EVENT,
        event: 'x',
        flags: FrameFlag.COMPRESSED,
        data: utf8('1'),
      }),
    );
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_002' });
    client.sendRaw(
      encodeFrame({
        type: FrameType.EVENT,
        event: 'x',
        flags: FrameFlag.ENCRYPTED,
        data: utf8('1'),
      }),
    );
    expect((await client.nextError()).data).toMatchObject({ code: 'ERR_MSG_003' });
    await expectServing(client);
  });

  it('maxPayload: ERR_MSG_004 with event and ackId; far larger messages close with 1009', async () => {
    const server = await startServer(cleanup, { maxPayload: 1000 });
    let reached = 0;
    server.on('big', () => reached++);
    const client = await withBystander(server);
    expect((await client.request('big', 'x'.repeat(2000))).data).toMatchObject({
      code: 'ERR_MSG_004',
      event: 'big',
      ackId: expect.any(Number),
    });
    expect(reached).toBe(0);
    await expectServing(client);
    client.emit('big', 'x'.repeat(200_000));
    expect((await client.closed).code).toBe(1009);
  });
});

/** xorshift32: a seeded PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

describe('fuzz', () => {
  it('survives random and mutated frames from raw clients and still serves a good client', async () => {
    const server = await startServer(cleanup, { maxPayload: 4096, rateLimitMaxRequests: 10_000 });
    const errors: unknown[] = [];
    server.on('error', (err) => errors.push(err));
    server.on('echo', (_s, data, ack) => ack?.(data));
    const seed = 0x5eed;
    const rand = prng(seed);
    const int = (n: number): number => Math.floor(rand() * n);
    const valid = [
      encodeMessage({
        type: FrameType.EVENT,
        event: 'echo',
        ackId: 1,
        data: { a: [1, 'two', null] },
      }),
      encodeMessage({ type: FrameType.EVENT, event: 'echo', data: new Uint8Array([1, 2, 3]) }),
      encodeMessage({ type: FrameType.ACK, ackId: 5, data: 'x' }),
      encodeMessage({ type: FrameType.HEARTBEAT, data: { t: 1, rtt: 2 } }),
      encodeMessage({ type: FrameType.CONNECT, data: { caps: {} } }),
      encodeMessage({ type: FrameType.DISCONNECT, data: { reason: 'x' } }),
    ];
    const mutate = (): Uint8Array => {
      const kind = int(4);
      if (kind === 0) return Uint8Array.from({ length: 1 + int(64) }, () => int(256));
      const base = Uint8Array.from(valid[int(valid.length)]!);
      if (kind === 1) for (let i = 0, n = 1 + int(4); i < n; i++) base[int(base.length)] = int(256);
      if (kind === 2) return base.subarray(0, int(base.length));
      if (kind === 3)
        return Uint8Array.from([...base, ...valid[int(valid.length)]!.subarray(int(8))]);
      return base;
    };
    let client = await TestClient.connect(server);
    for (let i = 0; i < 300; i++) {
      if (client.ws.readyState !== client.ws.OPEN) {
        await client.close();
        client = await TestClient.connect(server);
      }
      client.sendRaw(mutate());
      if (i % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    await client.close();
    const good = cleanup.client(await TestClient.connect(server));
    expect((await good.request('echo', { ok: true })).data).toEqual({ ok: true });
    expect(errors).toEqual([]);
  });
});

describe('live fuzz: 100,000 mutated frames from hostile clients', () => {
  const KEY = Buffer.alloc(32, 3).toString('base64');
  const TOTAL = 100_000;
  const PER_MESSAGE = 50;
  const HOSTILE = 6;

  /**
   * Well-formed frames of every kind, plain, compressed and (with a key) sealed. (A compressed
   * HEARTBEAT, always fatal, comes from the flag mutations.)
   */
  function templates(c: TestClient): Uint8Array[] {
    const big = { text: 'a'.repeat(3000) };
    return [
      c.encode({ type: FrameType.CONNECT, data: { caps: { compression: ['deflate'] } } }),
      c.encode({ type: FrameType.EVENT, event: 'echo', ackId: 9, data: { a: [1, 'two'] } }),
      c.encode({ type: FrameType.EVENT, event: 'echo', data: big }, true),
      c.encode({ type: FrameType.EVENT, event: 'echo', data: new Uint8Array([1, 2, 3]) }),
      c.encode({ type: FrameType.EVENT, event: `n${Math.random()}`, data: 1 }),
      c.encode({ type: FrameType.ACK, ackId: 5, data: 'x' }),
      c.encode({ type: FrameType.HEARTBEAT, data: { t: 1, rtt: 2 } }),
      c.encode({ type: FrameType.HEARTBEAT_ACK, data: { t: 1 } }),
      c.encode({ type: FrameType.ERROR, data: { code: 'ERR_MSG_001' } }),
    ];
  }

  /**
   * Structure-preserving mutations of one frame, so it gets past the decoder and reaches the
   * session logic: a damaged data section (JSON, DEFLATE or seal), other flags, another type.
   */
  function mutator(rand: () => number): (base: Uint8Array) => Uint8Array {
    const int = (n: number): number => Math.floor(rand() * n);
    return (base) => {
      const out = Uint8Array.from(base);
      const frame = decodeFrames(base)[0]!;
      const kind = int(20);
      if (kind < 10 && frame.data.length > 0) {
        // Inside the data section only (the frame's last dataLen bytes).
        out[out.length - 1 - int(frame.data.length)] = int(256);
      } else if (kind < 13) {
        // Compressed, encrypted, binary at random; the ACK bit (it moves the layout) and the
        // reserved bits kept.
        out[2] = (int(256) & 0xd0) | (out[2]! & 0x20);
      } else if (kind < 15 && frame.event === '' && frame.ackId === undefined) {
        // Another type with the same layout (no event name, no ack id; not DISCONNECT).
        out[1] = [1, 5, 6, 7][int(4)]!;
      }
      return out;
    };
  }

  /** A whole message: now and then truncated or followed by garbage (the decoder's share). */
  function damage(rand: () => number, message: Uint8Array): Uint8Array {
    const r = rand();
    if (r < 0.05) return message.subarray(0, Math.floor(rand() * message.length));
    if (r < 0.08) return Uint8Array.from([...message, ...Array.from({ length: 9 }, () => 0xff)]);
    return message;
  }

  it.each([
    ['plain with compression', {}],
    ['encrypted', { encryptionKey: KEY }],
  ])(
    '%s: no crash, bounded memory, other clients keep working',
    async (_name, extra) => {
      const server = await startServer(cleanup, {
        maxPayload: 8192,
        rateLimitMaxRequests: 2000,
        ...extra,
      });
      const errors: unknown[] = [];
      server.on('error', (err) => errors.push(err));
      server.on('echo', (_s, data, ack) => ack?.(data));
      const key = 'encryptionKey' in extra ? KEY : undefined;
      const opts = { key, deflate: true };
      const good = cleanup.client(await TestClient.connect(server, opts));
      const heapBefore = process.memoryUsage().heapUsed;
      const rand = prng(0xf22 + (key ? 1 : 0));
      const mutate = mutator(rand);
      const hostile: { client: TestClient; frames: Uint8Array[] }[] = [];
      const fresh = async (): Promise<{ client: TestClient; frames: Uint8Array[] }> => {
        const client = await TestClient.connect(server, opts);
        client.autoPong = false;
        return { client, frames: templates(client) };
      };
      for (let i = 0; i < HOSTILE; i++) hostile.push(await fresh());
      let sent = 0;
      let reconnects = 0;
      // Bounded: TOTAL frames, each round sends PER_MESSAGE per hostile client.
      for (let round = 0; sent < TOTAL && round < TOTAL; round++) {
        for (let h = 0; h < HOSTILE && sent < TOTAL; h++) {
          let slot = hostile[h]!;
          if (slot.client.ws.readyState !== slot.client.ws.OPEN) {
            await slot.client.close();
            slot = hostile[h] = await fresh();
            reconnects++;
          }
          const batch: Uint8Array[] = [];
          for (let i = 0; i < PER_MESSAGE; i++)
            batch.push(mutate(slot.frames[Math.floor(rand() * slot.frames.length)]!));
          slot.client.sendRaw(damage(rand, concatFrames(batch)));
          sent += PER_MESSAGE;
        }
        // The server keeps up and keeps serving: a round trip for the good client every 10 rounds.
        if (round % 10 === 0)
          expect((await good.request('echo', { round })).data).toEqual({ round });
      }
      for (const { client } of hostile) await client.close();
      expect(sent).toBe(TOTAL);
      expect(reconnects).toBeGreaterThan(0);
      expect((await good.request('echo', { ok: true })).data).toEqual({ ok: true });
      const late = cleanup.client(await TestClient.connect(server, opts));
      expect((await late.request('echo', 'late')).data).toBe('late');
      expect(errors).toEqual([]);
      // Generous: what matters is that nothing grows with the number of frames.
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
    },
    180_000,
  );
});
