// The QR code on the host's lobby screen: `/join-qr.svg?code=ABCD` is an SVG of the link that
// joins game ABCD on this server, so phones in the room can scan the projector to join.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { renderSVG } from 'uqr';

/** The path the page asks for; anything else is not ours. */
export const JOIN_QR_PATH = '/join-qr.svg';

const CODE = /^[A-Z]{1,8}$/;
// A host name or address with an optional port: nothing that could leave the link's origin.
const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * An SVG QR code of `url`: dark modules on white, with the quiet zone scanners need.
 *
 * @example
 * const svg = joinQrSvg('http://192.168.1.20:3000/?code=ABCD');
 */
export function joinQrSvg(url: string): string {
  return renderSVG(url, { ecc: 'M', border: 2, pixelSize: 8, blackColor: '#111827' });
}

/**
 * Answers `GET /join-qr.svg?code=CODE` with the QR code of `http(s)://<Host>/?code=CODE`, where
 * Host is the one the page was loaded from (so it matches the link the lobby shows). Returns
 * false for any other path; refuses a malformed code or Host with 400, other methods with 405.
 *
 * @example
 * http.createServer((req, res) => serveJoinQr(req, res) || serveFiles(req, res));
 */
export function serveJoinQr(req: IncomingMessage, res: ServerResponse): boolean {
  const [path, query = ''] = (req.url ?? '/').split('?', 2);
  if (path !== JOIN_QR_PATH) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const code = new URLSearchParams(query).get('code') ?? '';
  const host = req.headers.host ?? '';
  if (!CODE.test(code) || !HOST.test(host)) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad Request');
    return true;
  }
  const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  const body = joinQrSvg(`${scheme}://${host}/?code=${code}`);
  res.writeHead(200, {
    'content-type': 'image/svg+xml',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
