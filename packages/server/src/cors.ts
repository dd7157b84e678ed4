// CORS for the long-polling requests: the exact origin echoed, credentials only for listed ones.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/** Methods and request headers a polling client uses. */
const METHODS = 'GET, POST, OPTIONS';
const REQUEST_HEADERS = 'content-type';
/** Seconds a browser may cache a preflight answer. */
const MAX_AGE = '600';
/** The headers of a request without `Origin` (most): one shared, never mutated object. */
const NONE: OutgoingHttpHeaders = Object.freeze({}) as OutgoingHttpHeaders;

/**
 * The CORS headers for one polling request, or undefined when its `Origin` is refused.
 * Without `Origin` (not a browser's cross-origin request) there is nothing to add. With
 * `allowedOrigins` unset any origin is echoed but credentials are not allowed, so cookies of a
 * user's session never reach a page the application did not list.
 *
 * @example
 * const headers = corsHeaders(req, ['https://app.example']); // undefined: answer 403
 */
export function corsHeaders(
  req: IncomingMessage,
  allowedOrigins: readonly string[] | undefined,
): OutgoingHttpHeaders | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return NONE;
  if (allowedOrigins !== undefined && !allowedOrigins.includes(origin)) return undefined;
  const headers: OutgoingHttpHeaders = {
    'access-control-allow-origin': origin,
    vary: 'Origin',
  };
  if (allowedOrigins !== undefined) headers['access-control-allow-credentials'] = 'true';
  return headers;
}

/** The extra headers of a preflight (`OPTIONS`) answer. */
export function preflightHeaders(): OutgoingHttpHeaders {
  return {
    'access-control-allow-methods': METHODS,
    'access-control-allow-headers': REQUEST_HEADERS,
    'access-control-max-age': MAX_AGE,
  };
}
