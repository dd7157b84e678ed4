// The shared-frame fast path of the WebSocket transport falls back to ws.send while ws's sender
// is busy (here: compressing with permessage-deflate), so message order is kept.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer, WebSocket as WsClient } from 'ws';
import { sharedFrame } from '../src/shared-frame.js';
import { WsTransport } from '../src/ws-transport.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function pair(): Promise<{ server: WebSocket; client: WsClient }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
  await once(wss, 'listening');
  closers.push(() => new Promise((r) => wss.close(r)));
  const { port } = wss.address() as { port: number };
  const client = new WsClient(`ws://127.0.0.1:${port}`, { perMessageDeflate: true });
  closers.push(() => client.terminate());
  const [server] = (await once(wss, 'connection')) as [WebSocket];
  await once(client, 'open');
  return { server, client };
}

describe('WsTransport shared frames', () => {
  it('keeps order behind a message ws is still compressing, and frames shared bytes right', async () => {
    const { server, client } = await pair();
    const transport = new WsTransport(server);
    const got: Buffer[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('message', (data: Buffer) => {
        got.push(data);
        if (got.length === 3) resolve();
      }),
    );
    const big = Buffer.from('a'.repeat(100_000));
    server.send(big, { binary: true, compress: true }); // ws's sender is now deflating
    const shared = sharedFrame(new Uint8Array([1, 2, 3, 4]));
    transport.send(shared.bytes, shared.wire);
    transport.send(shared.bytes, shared.wire); // after the sender is idle again or not: order holds either way
    await all;
    expect(got[0]!.equals(big)).toBe(true);
    expect([...got[1]!]).toEqual([1, 2, 3, 4]);
    expect([...got[2]!]).toEqual([1, 2, 3, 4]);
  });
});
