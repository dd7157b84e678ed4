// @smartsocket/client for browsers (and any runtime with a global WebSocket): no `ws`, no
// node:zlib and no node:crypto inside; compression and encryption load on first need.

import type { CodecLoader, Sealing } from './codec-kit.js';
import type { Deflater } from './deflater.js';
import type { ClientOptions } from './options.js';
import { SmartSocketClientBase } from './smart-socket-client.js';
import type { WebSocketConstructor } from './transport.js';
import type { DefaultEventsMap, EventsMap } from './typed-events.js';

export * from './public-api.js';

/** The browser's own streams, else pako (a larger chunk, fetched only where they are missing). */
async function loadDeflater(): Promise<Deflater> {
  const native = await import('./native-deflater.js');
  return native.hasNativeDeflate()
    ? native.nativeDeflater
    : (await import('./pako-deflater.js')).pakoDeflater;
}

/** WebCrypto (every secure context), else noble (a larger chunk, pure JS). */
function loadSealing(): Promise<Sealing> {
  return typeof globalThis.crypto?.subtle?.deriveKey === 'function'
    ? import('./webcrypto-sealing.js')
    : import('./sealing.js');
}

/**
 * The browser back ends, imported only when a client turns their feature on: a bundler splits
 * them into chunks of their own, the single-file build loads them from next to its script.
 * Loaded once per page (the module cache keeps them).
 */
const loadBrowserKit: CodecLoader = (needs) => {
  if (!needs.compression && !needs.encryption) return {};
  return Promise.all([
    needs.compression ? loadDeflater() : undefined,
    needs.encryption ? loadSealing() : undefined,
  ]).then(([deflater, sealing]) => ({ deflater, sealing }));
};

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
      loadBrowserKit,
    );
  }
}

export default SmartSocketClient;
