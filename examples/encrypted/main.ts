// `pnpm --filter @smartsocket/examples encrypted`: a server and a Node client sharing a key;
// every frame between them, the handshake included, is sealed with AES-256-GCM.
import { SmartSocketClient } from '@smartsocket/client';
import { generateKey } from '@smartsocket/crypto';
import { SmartSocket } from '@smartsocket/server';

interface ClientToServer {
  transfer: (
    t: { to: string; cents: number },
    ack: (res: { ok: boolean; id: number }) => void,
  ) => void;
}
interface ServerToClient {
  balance: (b: { cents: number }) => void;
}

// In production: `npx smartsocket-crypto keygen` once, then the same ENCRYPTION_KEY on both sides.
const key = process.env.ENCRYPTION_KEY ?? generateKey();

const server = new SmartSocket<ClientToServer, ServerToClient>({
  host: '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  encryptionKey: key,
});
let balance = 10_000;
let nextId = 1;
server.on('transfer', (socket, t, ack) => {
  balance -= t.cents;
  ack({ ok: true, id: nextId++ });
  socket.emit('balance', { cents: balance });
});
await server.start();

const url = `ws://127.0.0.1:${server.port}`;
const client = new SmartSocketClient<ServerToClient, ClientToServer>(url, { encryptionKey: key });
const balanceSeen = new Promise<number>((resolve) => client.on('balance', (b) => resolve(b.cents)));
await client.connect();
const res = await client.emitWithAck('transfer', { to: 'bob', cents: 2_500 });
console.log('transfer:', res);
console.log('balance:', await balanceSeen);

// A client with another key is refused at the handshake: it cannot read or forge a frame.
const intruder = new SmartSocketClient(url, {
  encryptionKey: generateKey(),
  maxReconnectAttempts: 0,
});
const refused = await intruder.connect().then(
  () => 'connected?!',
  (err: { code: string }) => err.code,
);
console.log('wrong key:', refused);

client.disconnect();
await server.stop();
