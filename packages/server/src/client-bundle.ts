// `GET {path}/client.js`: the minified browser bundle of @smartsocket/client, with ETag and gzip.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The bundle's file inside the @smartsocket/client package (what its `pnpm build` writes). */
const BUNDLE_FILE = join('dist', 'SmartSocketClient.js');

/** The bundle as served: its bytes, their gzip, and an ETag naming the content. */
interface Bundle {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

/**
 * Where @smartsocket/client's bundle is: resolved from this package first, then from the
 * application's working directory (the client is an optional peer: `npm i @smartsocket/client`
 * next to the server is what makes the route work).
 */
function findBundle(): string | undefined {
  for (const from of [import.meta.url, join(process.cwd(), 'index.js')]) {
    try {
      const pkg = createRequire(from).resolve('@smartsocket/client/package.json');
      return join(dirname(pkg), BUNDLE_FILE);
    } catch {
      // Not resolvable from here: try the next place.
    }
  }
  return undefined;
}

/**
 * Loads the bundle once per server, on the first request (servers that are never asked for it
 * never read it). A missing file is retried on the next request, so a later build is picked up.
 */
export class ClientBundle {
  #bundle: Bundle | undefined;

  constructor(private readonly locate: () => string | undefined = findBundle) {}

  #load(): Bundle | string {
    if (this.#bundle) return this.#bundle;
    const file = this.locate();
    if (!file) return 'install @smartsocket/client next to @smartsocket/server to serve client.js';
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      return `${file} is missing: build @smartsocket/client (pnpm build) to serve client.js`;
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    this.#bundle = { body, gzipped: gzipSync(body, { level: 9 }), etag };
    return this.#bundle;
  }

  /**
   * Answers `GET`/`HEAD {path}/client.js`; returns false for any other request. `Cache-Control:
   * public, max-age=0` with an ETag: browsers revalidate each load (a 304 without a body), so an
   * upgraded server never leaves a page running an older client.
   *
   * @example
   * if (bundle.handle(req, res, '/smartsocket')) return;
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    if ((q === -1 ? url : url.slice(0, q)) !== `${path}/client.js`) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
      return true;
    }
    const bundle = this.#load();
    if (typeof bundle === 'string') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(bundle);
      return true;
    }
    const headers: Record<string, string> = {
      'cache-control': 'public, max-age=0',
      etag: bundle.etag,
      vary: 'Accept-Encoding',
    };
    if (req.headers['if-none-match'] === bundle.etag) {
      res.writeHead(304, headers).end();
      return true;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? bundle.gzipped : bundle.body;
    headers['content-type'] = 'application/javascript; charset=utf-8';
    headers['content-length'] = String(body.length);
    if (gzip) headers['content-encoding'] = 'gzip';
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
}
