// @smartsocket/client for Node.js: the client with `ws` as its default WebSocket and node:zlib.
import WebSocket from 'ws';
import type { CodecKit } from './codec-kit.js';
import { nodeDeflater } from './node-deflater.js';
import type { ClientOptions } from './options.js';
import * as sealing from './sealing.js';
import { SmartSocketClientBase } from './smart-socket-client.js';
import type { WebSocketConstructor } from './transport.js';
import type { DefaultEventsMap, EventsMap } from './typed-events.js';

/** Both back ends are built in on Node: no loading, the first attempt starts at once. */
const NODE_KIT: CodecKit = { deflater: nodeDeflater, sealing };

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
    super(url, options, WebSocket as unknown as WebSocketConstructor, () => NODE_KIT);
  }
}

export default SmartSocketClient;
