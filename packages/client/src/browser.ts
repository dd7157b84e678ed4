// @smartsocket/client for browsers (and any runtime with a global WebSocket): no `ws` and no
// node:zlib inside (pako compresses).

import type { ClientOptions } from './options.js';
import { pakoDeflater } from './pako-deflater.js';
import { SmartSocketClientBase } from './smart-socket-client.js';
import type { WebSocketConstructor } from './transport.js';
import type { DefaultEventsMap, EventsMap } from './typed-events.js';

export * from './public-api.js';

/**
 * SmartSocket client using `globalThis.WebSocket`. `L` types the events the server sends,
 * `E` those this client emits.
 *
 * @example
 * const client = new SmartSocketClient('wss://example.com', { namespace: '/chat' });
 * await client.connect();
 */
export class SmartSocketClient<
  L extends EventsMap = DefaultEventsMap,
  E extends EventsMap = DefaultEventsMap,
> extends SmartSocketClientBase<L, E> {
  constructor(url: string, options: ClientOptions = {}) {
    super(
      url,
      options,
      (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket,
      pakoDeflater,
    );
  }
}

export default SmartSocketClient;
