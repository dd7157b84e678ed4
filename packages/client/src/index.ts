// @smartsocket/client for Node.js: the client with `ws` as its default WebSocket and node:zlib.
import WebSocket from 'ws';
import { nodeDeflater } from './node-deflater.js';
import type { ClientOptions } from './options.js';
import { SmartSocketClientBase } from './smart-socket-client.js';
import type { WebSocketConstructor } from './transport.js';
import type { DefaultEventsMap, EventsMap } from './typed-events.js';

export * from './public-api.js';

/**
 * SmartSocket client. `L` types the events the server sends, `E` those this client emits.
 *
 * @example
 * import { SmartSocketClient } from '@smartsocket/client';
 * const client = new SmartSocketClient('ws://localhost:3000', { namespace: '/chat' });
 * await client.connect();
 * client.emit('chat', { text: 'hi' });
 */
export class SmartSocketClient<
  L extends EventsMap = DefaultEventsMap,
  E extends EventsMap = DefaultEventsMap,
> extends SmartSocketClientBase<L, E> {
  constructor(url: string, options: ClientOptions = {}) {
    super(url, options, WebSocket as unknown as WebSocketConstructor, nodeDeflater);
  }
}

export default SmartSocketClient;
