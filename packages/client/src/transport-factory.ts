// Picks the transports a client can use and creates one for a connection attempt.
import type { Logger } from '@smartsocket/logger';
import { SmartSocketError } from '@smartsocket/protocol';
import type { Endpoint } from './endpoint.js';
import { PollingTransport } from './polling-transport.js';
import type { Transport, TransportName, WebSocketConstructor } from './transport.js';
import { WebSocketTransport } from './websocket-transport.js';

/** What this runtime offers: a WebSocket constructor, and `fetch` for long-polling. */
export interface TransportSupport {
  WebSocket: WebSocketConstructor | undefined;
  fetch: boolean;
}

/** The platform's `fetch` support (every browser; Node 18+). */
export function hasFetch(): boolean {
  return typeof (globalThis as { fetch?: unknown }).fetch === 'function';
}

/**
 * The transports of `wanted` this runtime can use, in order; `ERR_CONFIG_001` when none is.
 * A page without `WebSocket` (blocked, removed, an old runtime) keeps long-polling.
 *
 * @example
 * usableTransports(['websocket', 'polling'], { WebSocket: undefined, fetch: true }); // ['polling']
 */
export function usableTransports(
  wanted: readonly TransportName[],
  support: TransportSupport,
  logger?: Logger,
): TransportName[] {
  const available = (t: TransportName): boolean =>
    t === 'websocket' ? typeof support.WebSocket === 'function' : support.fetch;
  const usable = wanted.filter(available);
  for (const t of wanted)
    if (!available(t))
      logger?.debug(
        `Transport "${t}" skipped: no ${t === 'websocket' ? 'WebSocket' : 'fetch'} available`,
      );
  if (usable.length === 0)
    throw new SmartSocketError(
      'ERR_CONFIG_001',
      `Invalid option "transports": none of ${wanted.join(', ')} is available here (no WebSocket implementation / no fetch)`,
    );
  return usable;
}

/** Creates the transport `name` for `endpoint`. */
export function createTransport(
  name: TransportName,
  endpoint: Pick<Endpoint, 'url' | 'pollUrl'>,
  WebSocketImpl: WebSocketConstructor | undefined,
): Transport {
  if (name === 'polling') return new PollingTransport(endpoint.pollUrl);
  return new WebSocketTransport(endpoint.url, WebSocketImpl!);
}
