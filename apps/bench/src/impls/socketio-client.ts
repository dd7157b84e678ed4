// socket.io-client 4.8, one transport (WebSocket, or polling in that variant), one connection per client.
// It offers permessage-deflate by default; the server decides (see socketio-server.ts).
import { io } from 'socket.io-client';
import { type BenchClient, type ConnectOptions, HOST, type Variant } from './types.js';

/** Connects one socket.io-client; resolves on 'connect'. */
export function connectSocketIoClient(
  port: number,
  variant: Variant,
  opts: ConnectOptions = {},
): Promise<BenchClient> {
  const socket = io(`http://${HOST}:${port}`, {
    transports: [variant.polling ? 'polling' : 'websocket'],
    forceNew: true,
    reconnection: false,
    // engine.io-client hands localAddress to its Node WebSocket (and HTTP) requests.
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
  });
  const client: BenchClient = {
    emit: (event, data) => void socket.emit(event, data),
    on: (event, handler) => {
      socket.off(event);
      socket.on(event, handler);
    },
    close: () => void socket.disconnect(),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('connect_error');
      resolve(client);
    });
    socket.once('connect_error', reject);
  });
}
