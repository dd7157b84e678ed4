// Backpressure: a client that stops reading costs the server at most a few maxBufferedBytes;
// volatile and oldest drops, slow-consumer cuts, emit's return value and `drain`, on both transports.
import type { Socket as NetSocket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  DEFAULT_NAMESPACE,
  decodeFrameData,
  decodeFrames,
  encodeMessage,
  FrameType,
  SUBPROTOCOL,
} from '@smartsocket/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { SmartSocket, Socket } from '../src/index.js';
import { Cleanup, once, startServer, TestClient } from './helpers/test-client.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

// A full collection before each buffer reading, so garbage of the run does not count as held.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heldBuffers(): number {
  gc();
  gc();
  return process.memoryUsage().arrayBuffers;
}

const MiB = 1024 * 1024;

/**
 * A reader that keeps nothing: counts the `event` frames it gets and checks their `i` fields
 * arrive as 0, 1, 2, … (the test's own stored frames would otherwise be the memory measured).
 */
class CountingReader {
  count = 0;
  bytes = 0;
  outOfOrder = 0;
  #waiters: Array<{ n: number; resolve: () => void }> = [];
  private constructor(
    readonly ws: WebSocket,
    readonly event: string,
  ) {
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => {
      for (const f of decodeFrames(new Uint8Array(data.buffer, data.byteOffset, data.length))) {
        if (f.type !== FrameType.EVENT || f.event !== event) continue;
        const body = decodeFrameData(f) as { i: number; pad?: string };
        if (body.i !== this.count) this.outOfOrder++;
        this.count++;
        this.bytes += f.data.length;
      }
      const ready = this.#waiters.filter((w) => w.n <= this.count);
      this.#waiters = this.#waiters.filter((w) => w.n > this.count);
      for (const w of ready) w.resolve();
    });
  }

  static async connect(server: SmartSocket, event: string): Promise<CountingReader> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/smartsocket`, [SUBPROTOCOL]);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const reader = new CountingReader(ws, event);
    const connected = once(server, 'connected');
    ws.send(
      encodeMessage({
        type: FrameType.CONNECT,
        namespace: DEFAULT_NAMESPACE,
        data: { caps: { compression: [], binary: true } },
      }),
    );
    await connected;
    cleanup.add(() => ws.terminate());
    return reader;
  }

  /** Resolves once `n` frames have arrived (bounded by `ms`). */
  until(n: number, ms = 20_000): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`got ${this.count} of ${n}`)), ms);
      this.#waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

function tcpOf(client: TestClient): NetSocket {
  return (client.ws as unknown as { _socket: NetSocket })._socket;
}

/**
 * A connected test client whose TCP socket stops reading, and its server-side socket. With
 * `sequenced`, it announces sequencing (so a server with recovery on can recover it).
 */
async function stalledClient(
  server: SmartSocket,
  sequenced = false,
): Promise<[TestClient, Socket]> {
  const connected = once<[Socket]>(server, 'connected');
  let client: TestClient;
  if (sequenced) {
    client = cleanup.client(await TestClient.open(server));
    client.send({
      type: FrameType.CONNECT,
      data: { caps: { compression: [], binary: true, seq: true } },
    });
    await client.next((f) => f.type === FrameType.CONNECT);
  } else client = cleanup.client(await TestClient.connect(server));
  const [socket] = await connected;
  tcpOf(client).pause();
  return [client, socket];
}

describe('a client that stops reading', () => {
  it('holds at most a few maxBufferedBytes while 80 MB of broadcasts go out; others get all', async () => {
    const max = MiB;
    const server = await startServer(cleanup, { maxBufferedBytes: max, maxPayload: 4 * MiB });
    const reader = await CountingReader.connect(server, 'm');
    const [, stalledSocket] = await stalledClient(server);
    const pad = 'x'.repeat(256 * 1024);
    const before = heldBuffers();
    let peak = 0;
    const total = 320; // × 256 KiB = 80 MiB
    for (let i = 0; i < total; i++) {
      server.emit('m', { i, pad });
      peak = Math.max(peak, stalledSocket.bufferedAmount);
      // Paced by the reader, so that only the stalled client falls behind.
      await reader.until(i + 1);
    }
    const held = heldBuffers() - before;
    expect(reader.count).toBe(total);
    expect(reader.outOfOrder).toBe(0);
    expect(peak).toBeLessThanOrEqual(max + 300 * 1024);
    expect(held).toBeLessThan(4 * max);
    const t = server.getStats().transmission;
    expect(t.oldestDrops).toBeGreaterThan(total - 20);
    expect(t.slowConsumers).toBe(0);
    expect(stalledSocket.connected).toBe(true);
  }, 60_000);

  it('with recovery on it is cut with 4008 "slow consumer" and counted; others unaffected', async () => {
    const server = await startServer(cleanup, {
      maxBufferedBytes: 256 * 1024,
      enableMessageCache: true,
    });
    const reader = await CountingReader.connect(server, 'm');
    const [stalled, stalledSocket] = await stalledClient(server, true);
    const gone = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (!stalledSocket.connected) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    const pad = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 200 && stalledSocket.connected; i++) {
      server.emit('m', { i, pad });
      await reader.until(i + 1);
    }
    await gone;
    // Kept for recovery (no `disconnected` yet), counted as a slow consumer.
    expect(stalledSocket._detached).toBe(true);
    expect(server.getStats().transmission.slowConsumers).toBe(1);
    expect(server.getStats().transmission.oldestDrops).toBe(0);
    // Once it reads again it sees the close code.
    tcpOf(stalled).resume();
    expect(await stalled.closed).toEqual({ code: 4008, reason: 'slow consumer' });
    const n = reader.count;
    server.emit('m', { i: n });
    await reader.until(n + 1);
    expect(reader.outOfOrder).toBe(0);
  }, 60_000);

  it('volatile emits are dropped first and counted; an emit whose frame is discarded fails its ack', async () => {
    const server = await startServer(cleanup, { maxBufferedBytes: 64 * 1024 });
    const [, socket] = await stalledClient(server);
    const pad = 'y'.repeat(40 * 1024);
    // Fill the TCP path until the queue holds frames (the transport saturated).
    let guard = 0;
    while (socket.bufferedAmount < 32 * 1024 && guard++ < 2000) {
      socket.emit('fill', pad);
      await new Promise((r) => setImmediate(r));
    }
    expect(socket.bufferedAmount).toBeGreaterThanOrEqual(32 * 1024);
    const answer = socket.emitWithAck('asks', pad, { timeout: 60_000 });
    socket.volatile.emit('v', pad);
    socket.emit('pushes-out-the-ack', pad);
    const err = await answer.then(
      () => undefined,
      (e: { code: string }) => e,
    );
    expect(err?.code).toBe('ERR_CONN_006');
    const t = server.getStats().transmission;
    expect(t.volatileDrops).toBeGreaterThanOrEqual(1);
    expect(t.oldestDrops).toBeGreaterThanOrEqual(1);
    expect(socket.bufferedAmount).toBeLessThanOrEqual(64 * 1024 + 41 * 1024);
  });

  it('with recovery on, a client without sequencing is not recoverable: it loses its oldest instead', async () => {
    const server = await startServer(cleanup, {
      maxBufferedBytes: 64 * 1024,
      enableMessageCache: true,
    });
    const [client, socket] = await stalledClient(server);
    const pad = 'q'.repeat(8 * 1024);
    for (let i = 0; i < 2000 && server.getStats().transmission.oldestDrops === 0; i++) {
      socket.emit('fill', pad);
      if (i % 8 === 7) await new Promise((r) => setImmediate(r));
    }
    const t = server.getStats().transmission;
    expect(t.oldestDrops).toBeGreaterThan(0);
    expect(t.slowConsumers).toBe(0);
    expect(socket.connected).toBe(true);
    void client;
  });
});

describe('emit and drain', () => {
  it('streams 24 MB to one socket pacing on emit() and drain: never past the bound, all arrives', async () => {
    // 24 MB rather than 50: the machine is shared; the bound is what is checked, not the volume.
    const max = 512 * 1024;
    const server = await startServer(cleanup, { maxBufferedBytes: max });
    const connected = once<[Socket]>(server, 'connected');
    const reader = await CountingReader.connect(server, 'chunk');
    const [socket] = await connected;
    const pad = 'z'.repeat(32 * 1024);
    const total = 768; // × 32 KiB = 24 MiB
    let sent = 0;
    let peak = 0;
    let drains = 0;
    let falses = 0;
    const done = reader.until(total, 50_000);
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (sent < total) {
          const ok = socket.emit('chunk', { i: sent++, pad });
          peak = Math.max(peak, socket.bufferedAmount);
          if (!ok) {
            falses++;
            return;
          }
        }
        resolve();
      };
      socket.on('drain', () => {
        drains++;
        pump();
      });
      pump();
    });
    await done;
    expect(reader.count).toBe(total);
    expect(reader.outOfOrder).toBe(0);
    expect(peak).toBeLessThanOrEqual(max);
    expect(falses).toBeGreaterThan(0);
    expect(drains).toBe(falses);
    expect(server.getStats().transmission.droppedMessages).toBe(0);
  }, 60_000);
});

describe('long-polling', () => {
  it('a session that stops polling stays within the bound: oldest frames discarded, counted', async () => {
    const max = 64 * 1024;
    const server = await startServer(cleanup, { maxBufferedBytes: max });
    const connected = once<[Socket]>(server, 'connected');
    const url = `http://127.0.0.1:${server.port}/smartsocket/poll`;
    const token = await (await fetch(url, { method: 'POST' })).text();
    await fetch(`${url}?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array(
        encodeMessage({
          type: FrameType.CONNECT,
          namespace: DEFAULT_NAMESPACE,
          data: { caps: { compression: [], binary: true } },
        }),
      ),
    });
    const [socket] = await connected;
    await (await fetch(`${url}?token=${token}`)).arrayBuffer();
    let peak = 0;
    for (let i = 0; i < 300; i++) {
      socket.emit('n', { i, pad: 'p'.repeat(1000) });
      peak = Math.max(peak, socket.bufferedAmount);
      await new Promise((r) => setImmediate(r));
    }
    expect(peak).toBeLessThanOrEqual(max);
    expect(server.getStats().transmission.oldestDrops).toBeGreaterThan(150);
    // The transport's pending body first, then what waited in the queue: the newest, in order.
    const got: number[] = [];
    for (let polls = 0; polls < 5 && got.at(-1) !== 299; polls++) {
      const body = new Uint8Array(await (await fetch(`${url}?token=${token}`)).arrayBuffer());
      for (const f of decodeFrames(body))
        if (f.type === FrameType.EVENT) got.push((decodeFrameData(f) as { i: number }).i);
    }
    expect(got.at(-1)).toBe(299);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(got.length).toBeLessThan(100);
  });
});
