// Raw ws server with a JSON { event, data } envelope; `frameOnce` sends one prebuilt Buffer per broadcast.
import { WebSocket, WebSocketServer } from 'ws';
import { type BenchServer, EVENTS, HOST, type ServerHooks, type Variant } from './types.js';

/** Starts a raw ws server on 127.0.0.1, port 0. */
export async function startWsServer(
  hooks: ServerHooks,
  variant: Variant,
  frameOnce: boolean,
): Promise<BenchServer> {
  const wss = new WebSocketServer({
    host: HOST,
    port: 0,
    perMessageDeflate: variant.compression ? { threshold: 1024 } : false,
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('connection', (socket) => {
    hooks.onConnection();
    socket.on('close', () => hooks.onDisconnect());
    socket.on('message', (raw, isBinary) => {
      if (isBinary) return;
      const msg = JSON.parse(raw.toString()) as { event: string; data: unknown };
      if (msg.event === EVENTS.echo) {
        hooks.onEcho();
        socket.send(JSON.stringify({ event: EVENTS.echo, data: msg.data }));
      }
    });
  });
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    broadcast(event, data) {
      if (frameOnce) {
        // One Buffer for every recipient; ws only adds its frame header per socket.
        const buf = Buffer.from(JSON.stringify({ event, data }));
        for (const client of wss.clients) {
          if (client.readyState === WebSocket.OPEN) client.send(buf, { binary: false });
        }
      } else {
        // The ws README idiom: stringify once, send the string (ws converts it per socket).
        const text = JSON.stringify({ event, data });
        for (const client of wss.clients) {
          if (client.readyState === WebSocket.OPEN) client.send(text);
        }
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
