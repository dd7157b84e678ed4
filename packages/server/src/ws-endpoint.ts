// The HTTP side of the server: WebSocket upgrades on our path (origin, capacity) and stats routes.
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from '@smartsocket/logger';
import {
  DEFAULT_NAMESPACE,
  encodeMessage,
  FrameType,
  SmartSocketError,
  SUBPROTOCOL,
} from '@smartsocket/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { DashboardEndpoint, type DashboardSource } from './dashboard-endpoint.js';
import { HttpBinding, rejectUpgrade } from './http-binding.js';
import { handleMetricsRequest, type MetricsSource } from './metrics-endpoint.js';
import type { ResolvedOptions } from './server-options.js';
import type { StatsCollector } from './stats-collector.js';
import { WsTransport } from './ws-transport.js';

// The ws message limit: a message may batch several frames, each with up to maxPayload bytes of data.
const BATCH_HEADROOM = 64 * 1024;

/** What the endpoint needs from the server. */
export interface EndpointHooks {
  /** Connections currently open (handshaking ones included), for `maxConnections`. */
  connectionCount(): number;
  /** A new WebSocket connection passed every admission check. */
  accept(transport: WsTransport, req: IncomingMessage): void;
  /** Numbers for `GET {path}/stats` and `{path}/metrics`. */
  metrics: MetricsSource;
  /** Other transports' HTTP requests (long-polling): true when answered. */
  request?(req: IncomingMessage, res: ServerResponse): boolean;
  /** Connections and namespaces for `GET {path}/dashboard`. */
  dashboard: Omit<DashboardSource, 'metrics'>;
}

function pathnameOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Accepts WebSocket upgrades on `options.path` with subprotocol `smartsocket-v1`: refuses foreign
 * origins with HTTP 403, and over `maxConnections` answers one ERROR `ERR_CONN_005` frame and
 * close 1013 without creating any per-socket state. Also serves the stats routes.
 */
export class WsEndpoint {
  readonly #sockets = new Set<WebSocket>();
  /** One `close` listener shared by every WebSocket (no closure per connection). */
  readonly #forget: (this: WebSocket) => void;
  readonly #wss: WebSocketServer;
  readonly #dashboard: DashboardEndpoint;
  #binding: HttpBinding | undefined;

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly stats: StatsCollector,
    private readonly logger: Logger,
    private readonly hooks: EndpointHooks,
  ) {
    const sockets = this.#sockets;
    this.#forget = function (this: WebSocket) {
      sockets.delete(this);
    };
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: Math.min(opts.maxPayload * 2 + BATCH_HEADROOM, 0xffff_ffff),
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
    this.#dashboard = new DashboardEndpoint(
      opts,
      { ...hooks.dashboard, metrics: hooks.metrics },
      logger,
    );
  }

  /** The HTTP server while attached. */
  get server(): HttpServer | HttpsServer | undefined {
    return this.#binding?.server;
  }

  /** Hooks into `server` (`own`: we created it, so other upgrade paths are ours to refuse). */
  attach(server: HttpServer | HttpsServer, own: boolean): void {
    this.#binding = new HttpBinding(
      server,
      own,
      (req, res) => this.#onRequest(req, res),
      (req, socket, head) => this.#onUpgrade(req, socket, head),
    );
    this.#binding.attach();
  }

  detach(): void {
    this.#binding?.detach();
    this.#binding = undefined;
  }

  /**
   * Waits up to `graceMs` for every WebSocket to finish its closing handshake, then terminates
   * the rest.
   */
  async drain(graceMs: number): Promise<void> {
    if (this.#sockets.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, graceMs);
        const check = (): void => {
          if (this.#sockets.size === 0) done();
        };
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        for (const ws of this.#sockets) ws.once('close', () => queueMicrotask(check));
      });
    }
    for (const ws of this.#sockets) ws.terminate();
    this.#sockets.clear();
  }

  /** Whether the request's `Origin` passes `allowedOrigins`. */
  originAllowed(req: IncomingMessage): boolean {
    const allowed = this.opts.allowedOrigins;
    if (!allowed) return true;
    // Browsers always send Origin; a request without one is not a browser's, and could claim any
    // origin it liked, so the check (against cross-site use from web pages) does not apply to it.
    const origin = req.headers.origin;
    return origin === undefined || allowed.includes(origin);
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.hooks.request?.(req, res)) return true;
    const { enableMetrics, path } = this.opts;
    if (!enableMetrics) return false;
    if (this.#dashboard.handle(req, res, this.originAllowed(req))) return true;
    if (this.originAllowed(req)) return handleMetricsRequest(req, res, path, this.hooks.metrics);
    const pathname = pathnameOf(req);
    if (pathname !== `${path}/stats` && pathname !== `${path}/metrics`) return false;
    res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
    return true;
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const { path, transports, maxConnections } = this.opts;
    const pathname = pathnameOf(req);
    if (pathname !== path && pathname !== `${path}/`) return false;
    if (!transports.includes('websocket')) {
      rejectUpgrade(socket, 400, 'Bad Request');
      return true;
    }
    if (!this.originAllowed(req)) {
      this.stats.connectionRejected();
      this.logger.debug(`Refused upgrade from origin ${String(req.headers.origin)}`);
      rejectUpgrade(socket, 403, 'Forbidden');
      return true;
    }
    const full = this.hooks.connectionCount() >= maxConnections;
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#upgraded(ws, req, full));
    return true;
  }

  // Its own method: a listener created next to the upgrade callback would share its scope and
  // keep the whole IncomingMessage (and the upgrade head) alive for the connection's lifetime.
  #upgraded(ws: WebSocket, req: IncomingMessage, full: boolean): void {
    this.#sockets.add(ws);
    ws.on('close', this.#forget);
    if (full) this.#refuseFull(ws);
    else this.hooks.accept(new WsTransport(ws), req);
  }

  /** Refuses before allocating any per-socket state: one ERROR frame, then close 1013. */
  #refuseFull(ws: WebSocket): void {
    this.stats.connectionRejected();
    const err = new SmartSocketError('ERR_CONN_005');
    ws.on('error', () => {});
    ws.send(
      encodeMessage({ type: FrameType.ERROR, namespace: DEFAULT_NAMESPACE, data: err.toJSON() }),
    );
    ws.close(err.closeCode, err.code);
  }
}
