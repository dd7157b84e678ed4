// `{path}/dashboard`: the live dashboard page, its JSON data routes and its disconnect action.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@smartsocket/logger';
import { bearerAuthorized } from './bearer-auth.js';
import { DASHBOARD_CSP, renderDashboardPage } from './dashboard-page.js';
import type { MetricsSource } from './metrics-endpoint.js';
import {
  findConnection,
  type InspectorSource,
  largestRooms,
  listSockets,
  MAX_QUERY_LENGTH,
  MAX_ROOMS_LISTED,
  socketsByNamespace,
} from './socket-inspector.js';

/** Everything the dashboard shows: the server's counters, connections and namespaces. */
export interface DashboardSource extends InspectorSource {
  readonly metrics: MetricsSource;
}

/** The options the dashboard reads. */
export interface DashboardOptions {
  path: string;
  metricsToken?: string | undefined;
  maxBufferedBytes: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const DISCONNECT = /^\/sockets\/([^/]{1,64})\/disconnect$/;

/**
 * Serves the dashboard under `{path}/dashboard`:
 * - `GET {path}/dashboard`: the page (always, so it can ask for the token);
 * - `GET {path}/dashboard/api/overview`: counters, connections by namespace and transport, the
 *   largest rooms;
 * - `GET {path}/dashboard/api/sockets?q=&namespace=&limit=`: at most 200 sockets;
 * - `POST {path}/dashboard/api/sockets/{id}/disconnect`: only when `metricsToken` is set.
 * With `metricsToken`, every data and action route needs `Authorization: Bearer <token>` (401).
 *
 * @example
 * const dashboard = new DashboardEndpoint(opts, { metrics: server, connections, namespaces }, logger);
 * if (dashboard.handle(req, res, true)) return;
 */
export class DashboardEndpoint {
  readonly #base: string;
  readonly #page: string;

  constructor(
    private readonly opts: DashboardOptions,
    private readonly source: DashboardSource,
    private readonly logger: Logger,
  ) {
    const path = opts.path.endsWith('/') ? opts.path.slice(0, -1) : opts.path;
    this.#base = `${path}/dashboard`;
    this.#page = renderDashboardPage(`${this.#base}/api`);
  }

  /**
   * Answers a dashboard request and returns true, or returns false without touching `res` for
   * any other URL. `originAllowed`: whether the request's Origin passes `allowedOrigins` (the
   * page's own origin always does).
   */
  handle(req: IncomingMessage, res: ServerResponse, originAllowed: boolean): boolean {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    if (pathname !== this.#base && !pathname.startsWith(`${this.#base}/`)) return false;
    if (!originAllowed && !sameOrigin(req)) {
      send(res, req, 403, 'text/plain; charset=utf-8', 'Forbidden\n');
      return true;
    }
    const rest = pathname.slice(this.#base.length);
    if (rest === '' || rest === '/') {
      if (!allowMethod(req, res, 'GET')) return true;
      res.setHeader('content-security-policy', DASHBOARD_CSP);
      res.setHeader('x-frame-options', 'DENY');
      send(res, req, 200, 'text/html; charset=utf-8', this.#page);
      return true;
    }
    if (!rest.startsWith('/api/')) {
      send(res, req, 404, 'text/plain; charset=utf-8', 'Not Found\n');
      return true;
    }
    if (!bearerAuthorized(req, this.opts.metricsToken)) {
      res.setHeader('www-authenticate', 'Bearer realm="smartsocket"');
      sendJson(res, req, 401, { error: 'A valid metrics token is required' });
      return true;
    }
    try {
      this.#api(req, res, rest.slice(4), q === -1 ? '' : url.slice(q + 1));
    } catch (err) {
      // Only a bug of ours (or of a custom adapter) gets here: answer 500, keep serving.
      this.logger.error(`Dashboard request failed: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) sendJson(res, req, 500, { error: 'Internal Server Error' });
    }
    return true;
  }

  #api(req: IncomingMessage, res: ServerResponse, route: string, search: string): void {
    if (route === '/overview') {
      if (allowMethod(req, res, 'GET')) sendJson(res, req, 200, this.#overview());
      return;
    }
    if (route === '/sockets') {
      if (!allowMethod(req, res, 'GET')) return;
      const params = new URLSearchParams(search);
      const query = params.get('q') ?? '';
      const limit = params.get('limit');
      if (query.length > MAX_QUERY_LENGTH || (limit !== null && !/^\d{1,6}$/.test(limit))) {
        sendJson(res, req, 400, {
          error: `q: at most ${MAX_QUERY_LENGTH} characters; limit: a number`,
        });
        return;
      }
      const filter = {
        ...(query ? { query } : {}),
        ...(params.has('namespace') ? { namespace: params.get('namespace') as string } : {}),
        ...(limit !== null ? { limit: Number(limit) } : {}),
      };
      sendJson(res, req, 200, listSockets(this.source, filter, this.opts.maxBufferedBytes));
      return;
    }
    const action = DISCONNECT.exec(route);
    if (action) {
      if (!allowMethod(req, res, 'POST')) return;
      let id: string;
      try {
        id = decodeURIComponent(action[1] as string);
      } catch {
        sendJson(res, req, 400, { error: 'Malformed socket id' });
        return;
      }
      this.#disconnect(req, res, id);
      return;
    }
    sendJson(res, req, 404, { error: 'Not Found' });
  }

  #disconnect(req: IncomingMessage, res: ServerResponse, id: string): void {
    // Without a token anyone who can reach the server could cut clients off: never allowed then.
    if (this.opts.metricsToken === undefined) {
      sendJson(res, req, 403, { error: 'Disconnecting from the dashboard needs metricsToken' });
      return;
    }
    const socket = findConnection(this.source, id)?.socket;
    if (!socket) {
      sendJson(res, req, 404, { error: 'No such socket' });
      return;
    }
    this.logger.info(`Dashboard: disconnecting socket ${id} from ${req.socket.remoteAddress}`);
    socket.disconnect();
    sendJson(res, req, 200, { disconnected: id });
  }

  #overview(): unknown {
    const { metrics } = this.source;
    const stats = metrics.getStats();
    const conn = metrics.getConnectionStats();
    const t = stats.transmission;
    const rooms = largestRooms(this.source);
    return {
      time: Date.now(),
      uptime: stats.uptime,
      memoryBytes: stats.memoryBytes,
      canDisconnect: this.opts.metricsToken !== undefined,
      connections: {
        active: conn.active,
        peak: conn.peak,
        total: conn.total,
        byTransport: conn.byTransport,
        byNamespace: socketsByNamespace(this.source),
      },
      traffic: {
        messagesIn: t.messagesIn,
        messagesOut: t.messagesOut,
        bytesIn: t.bytesIn,
        bytesOut: t.bytesOut,
        messagesPerSecond: stats.messagesPerSecond,
        bytesPerSecond: t.bytesPerSecond,
      },
      latency: { average: stats.averageLatency },
      refusals: {
        rateLimited: t.rateLimited,
        dropped: t.droppedMessages,
        slowConsumers: t.slowConsumers,
        rejectedConnections: conn.rejected,
      },
      rooms: { total: rooms.total, limit: MAX_ROOMS_LISTED, list: rooms.rooms },
    };
  }
}

/** An `Origin` naming this very server (the dashboard page calling its own API). */
function sameOrigin(req: IncomingMessage): boolean {
  const { origin, host } = req.headers;
  return origin !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

/** False after answering 405 when the method is not `method` (GET also allows HEAD). */
function allowMethod(req: IncomingMessage, res: ServerResponse, method: 'GET' | 'POST'): boolean {
  if (req.method === method || (method === 'GET' && req.method === 'HEAD')) return true;
  res.setHeader('allow', method === 'GET' ? 'GET, HEAD' : 'POST');
  send(res, req, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n');
  return false;
}

function sendJson(res: ServerResponse, req: IncomingMessage, status: number, body: unknown): void {
  send(res, req, status, JSON_TYPE, JSON.stringify(body));
}

function send(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  type: string,
  body: string,
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
