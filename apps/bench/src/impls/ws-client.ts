// Raw ws client with the JSON { event, data } envelope.
import { WebSocket } from 'ws';
import { type BenchClient, type ConnectOptions, HOST, type Variant } from './types.js';

/** Connects one raw ws client; resolves on 'open'. */
export function connectWsClient(
  port: number,
  variant: Variant,
  opts: ConnectOptions = {},
): Promise<BenchClient> {
  const ws = new WebSocket(`ws://${HOST}:${port}`, {
    perMessageDeflate: variant.compression,
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
  });
  const handlers = new Map<string, (data: unknown) => void>();
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString()) as { event: string; data: unknown };
    handlers.get(msg.event)?.(msg.data);
  });
  const client: BenchClient = {
    emit: (event, data) => ws.send(JSON.stringify({ event, data })),
    on: (event, handler) => void handlers.set(event, handler),
    close: () => ws.terminate(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {});
      resolve(client);
    });
    ws.once('error', reject);
  });
}
