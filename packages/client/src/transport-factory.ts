// Picks the transport for a connection attempt from the `transports` option.
import type { Logger } from '@smartsocket/logger';
import { SmartSocketError } from '@smartsocket/protocol';
import type { Transport, TransportName, WebSocketConstructor } from './transport.js';
import { WebSocketTransport } from './websocket-transport.js';

/** Transports this build can create. Long-polling is the next one to land here. */
const AVAILABLE: ReadonlySet<TransportName> = new Set(['websocket']);

/**
 * The transports of `wanted` this build can use, in order; `ERR_CONFIG_001` when none is.
 * `'polling'` is accepted in the option but not yet implemented, so it is skipped.
 */
export function usableTransports(
  wanted: readonly TransportName[],
  logger?: Logger,
): TransportName[] {
  const usable = wanted.filter((t) => AVAILABLE.has(t));
  for (const t of wanted)
    if (!AVAILABLE.has(t))
      logger?.debug(`Transport "${t}" is not available yet in this version; skipped`);
  if (usable.length === 0)
    throw new SmartSocketError(
      'ERR_CONFIG_001',
      `Invalid option "transports": ${wanted.join(', ')} not available yet (use 'websocket')`,
    );
  return usable;
}

/** Creates the transport `name` for `url`. */
export function createTransport(
  name: TransportName,
  url: string,
  WebSocketImpl: WebSocketConstructor,
): Transport {
  if (name === 'websocket') return new WebSocketTransport(url, WebSocketImpl);
  throw new SmartSocketError('ERR_CONFIG_001', `Transport "${name}" is not available yet`);
}
