// `GET {path}/client.js` and its chunks: the minified browser build of @smartsocket/client, with ETag and gzip.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The browser build's directory inside the @smartsocket/client package (what `pnpm build` writes). */
const BUILD_DIR = 'dist';
/** The main script, which `{path}/client.js` serves. */
const MAIN_FILE = 'SmartSocketClient.js';
/**
 * The chunks the main script imports on first need, relative to its own URL (so they are served
 * next to `client.js` under their own names). Only these names: nothing else of dist/ is served.
 */
const CHUNK = /^SmartSocketClient\.[a-z]+\.js$/;

/** A file as served: its bytes, their gzip, and an ETag naming the content. */
interface Bundle {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

/**
 * Where @smartsocket/client's browser build is: resolved from this package first, then from the
 * application's working directory (the client is an optional peer: `npm i @smartsocket/client`
 * next to the server is what makes the route work).
 */
function findBuildDir(): string | undefined {
  for (const from of [import.meta.url, join(process.cwd(), 'index.js')]) {
    try {
      const pkg = createRequire(from).resolve('@smartsocket/client/package.json');
      return join(dirname(pkg), BUILD_DIR);
    } catch {
      // Not resolvable from here: try the next place.
    }
  }
  return undefined;
}

/**
 * Loads each file once per server, on its first request (servers that are never asked for them
 * never read them). A missing file is retried on the next request, so a later build is picked up.
 */
export class ClientBundle {
  readonly #files = new Map<string, Bundle>();

  constructor(private readonly locate: () => string | undefined = findBuildDir) {}

  #load(name: string): Bundle | string {
    const cached = this.#files.get(name);
    if (cached) return cached;
    const dir = this.locate();
    if (!dir) return 'install @smartsocket/client next to @smartsocket/server to serve client.js';
    let body: Buffer;
    try {
      body = readFileSync(join(dir, name));
    } catch {
      return `${join(dir, name)} is missing: build @smartsocket/client (pnpm build) to serve it`;
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const file = { body, gzipped: gzipSync(body, { level: 9 }), etag };
    this.#files.set(name, file);
    return file;
  }

  /** The file `pathname` asks for under `path`, or undefined when it is not one of ours. */
  #fileOf(pathname: string, path: string): string | undefined {
    if (!pathname.startsWith(`${path}/`)) return undefined;
    const name = pathname.slice(path.length + 1);
    if (name === 'client.js') return MAIN_FILE;
    return CHUNK.test(name) ? name : undefined;
  }

  /**
   * Answers `GET`/`HEAD {path}/client.js` and `{path}/SmartSocketClient.<chunk>.js`; returns
   * false for any other request. `Cache-Control: public, max-age=0` with an ETag: browsers
   * revalidate each load (a 304 without a body), so an upgraded server never leaves a page
   * running an older client.
   *
   * @example
   * if (bundle.handle(req, res, '/smartsocket')) return;
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const name = this.#fileOf(q === -1 ? url : url.slice(0, q), path);
    if (!name) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
      return true;
    }
    const bundle = this.#load(name);
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
