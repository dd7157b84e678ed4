// Serves the page's few static files from memory-safe paths: only names listed at startup.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * A request handler for the files directly in `dir` ('/' is index.html) plus `extra` in-memory
 * files by URL path. Anything else is 404; only GET and HEAD are answered.
 *
 * @example
 * const serve = staticFiles('public', { '/SmartSocketClient.js': bundle });
 * http.createServer(serve);
 */
export function staticFiles(
  dir: string,
  extra: Record<string, string> = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  // A fixed list of names: no path from the URL ever reaches the file system.
  const names = new Set(readdirSync(dir).filter((n) => TYPES[extname(n)] !== undefined));
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (body: string | Buffer, type: string): void => {
      res.writeHead(200, {
        'content-type': type,
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const inMemory = extra[path];
    if (inMemory !== undefined) return send(inMemory, TYPES['.js']!);
    const name = path === '/' ? 'index.html' : path.slice(1);
    if (!names.has(name)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    readFile(join(dir, name)).then(
      (body) => send(body, TYPES[extname(name)]!),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('Read error'),
    );
  };
}
