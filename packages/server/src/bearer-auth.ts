// `Authorization: Bearer <token>` for the metrics, stats and dashboard routes (`metricsToken`).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Whether `req` carries `token` as its bearer token (always true when no token is configured).
 * Compared in constant time, so the token cannot be guessed byte by byte from response times.
 *
 * @example
 * if (!bearerAuthorized(req, opts.metricsToken)) return res.writeHead(401).end();
 */
export function bearerAuthorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !/^bearer /i.test(header)) return false;
  const given = Buffer.from(header.slice(7).trim());
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
