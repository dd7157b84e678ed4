// URL handling: http(s)/ws(s) URLs to the WebSocket and polling endpoints and the namespace.
import { DEFAULT_NAMESPACE, SmartSocketError } from '@smartsocket/protocol';

/** Where to connect and which namespace to join. */
export interface Endpoint {
  /** WebSocket URL: `${ws origin}${path}` plus the URL's query string. */
  url: string;
  /** Long-polling URL: `${http origin}${path}/poll` plus the URL's query string. */
  pollUrl: string;
  namespace: string;
}

const SCHEMES: Record<string, string> = {
  'ws:': 'ws:',
  'wss:': 'wss:',
  'http:': 'ws:',
  'https:': 'wss:',
};

/**
 * Resolves the endpoint of `input`: `http(s)` becomes `ws(s)`, the URL path is the namespace
 * unless `namespace` is given, and the endpoint path is `path`.
 *
 * @example
 * resolveEndpoint('http://localhost:3000/chat', { path: '/smartsocket' });
 * // { url: 'ws://localhost:3000/smartsocket', pollUrl: 'http://localhost:3000/smartsocket/poll',
//   namespace: '/chat' }
 */
export function resolveEndpoint(
  input: string,
  opts: { path: string; namespace?: string },
): Endpoint {
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch (cause) {
    throw new SmartSocketError('ERR_CONFIG_001', `Invalid option "url": ${String(input)}`, {
      cause,
    });
  }
  const scheme = SCHEMES[parsed.protocol];
  if (!scheme)
    throw new SmartSocketError(
      'ERR_CONFIG_001',
      `Invalid option "url": unsupported scheme ${parsed.protocol}`,
    );
  const urlPath = parsed.pathname.replace(/\/+$/, '');
  const namespace =
    opts.namespace ?? (urlPath === '' ? DEFAULT_NAMESPACE : decodeURIComponent(urlPath));
  const http = scheme === 'wss:' ? 'https:' : 'http:';
  return {
    url: `${scheme}//${parsed.host}${opts.path}${parsed.search}`,
    pollUrl: `${http}//${parsed.host}${opts.path}/poll${parsed.search}`,
    namespace,
  };
}
