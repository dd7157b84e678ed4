// The HTTP side of the server: WebSocket upgrades on our path (admission) and stats routes.
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from '@smartsocket/logger';
import {
  DEFAULT_NAMESPACE,
  encodeMessage,
  FrameType,
  MAX_NAME_BYTES,
  SmartSocketError,
  SUBPROTOCOL,
} from '@smartsocket/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Admission, type AdmissionTicket, isRefusal } from './admission.js';
import { bearerAuthorized } from './bearer-auth.js';
import { ClientBundle } from './client-bundle.js';
import { DashboardEndpoint, type DashboardSource } from './dashboard-endpoint.js';
import { HttpBinding, rejectUpgrade } from './http-binding.js';
import { handleMetricsRequest, type MetricsSource } from './metrics-endpoint.js';
import type { ResolvedOptions } from './server-options.js';
import type { StatsCollector } from './stats-collector.js';
import { WsTransport } from './ws-transport.js';

// The ws message limit is maxPayload plus this: room for the largest frame header (two names of
// up to 64 KiB) and a seal around one maxPayload section. ws refuses a longer message (close 1009)
// from its length header, before buffering it; clients split batches to stay within maxPayload.
const FRAME_HEADROOM = 2 * MAX_NAME_BYTES + 1024;
const STATUS_TEXT = { 400: 'Bad Request', 403: 'Forbidden', 503: 'Service Unavailable' } as const;

/** What the endpoint needs from the server. */
export interface EndpointHooks {
  /** The admission check (transports, origins, `allowRequest`, connection caps). */
  admission: Admission;
  /** A new WebSocket connection passed every admission check; `ticket` holds its slot. */
  accept(transport: WsTransport, req: IncomingMessage, ticket: AdmissionTicket): void;
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
 * Accepts WebSocket upgrades on `options.path` with subprotocol `smartsocket-v1` once the
 * {@link Admission} check passes: a refusal is an HTTP status (400/403), except a full server
 * (`maxConnections`, `maxConnectionsPerAddress`), which answers one ERROR `ERR_CONN_005` frame and
 * close 1013 without creating any per-socket state. Also serves the stats routes.
 */
export class WsEndpoint {
  readonly #sockets = new Set<WebSocket>();
  /** One `close` listener shared by every WebSocket (no closure per connection). */
  readonly #forget: (this: WebSocket) => void;
  readonly #wss: WebSocketServer;
  readonly #dashboard: DashboardEndpoint;
  #binding: HttpBinding | undefined;
  /** `GET {path}/client.js` (`serveClient`). */
  readonly #clientBundle: ClientBundle | undefined;
  /** Set by `drain()`: an upgrade still waiting for admission then upgrades nothing. */
  #draining = false;

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly stats: StatsCollector,
    private readonly logger: Logger,
    private readonly hooks: EndpointHooks,
  ) {
    this.#clientBundle = opts.serveClient ? new ClientBundle() : undefined;
    const sockets = this.#sockets;
    this.#forget = function (this: WebSocket) {
      sockets.delete(this);
    };
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: Math.min(opts.maxPayload + FRAME_HEADROOM, 0xffff_ffff),
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
    this.#draining = false;
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
    this.#draining = true;
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
    return this.hooks.admission.originAllowed(req);
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.hooks.request?.(req, res)) return true;
    const { enableMetrics, path, metricsToken } = this.opts;
    if (this.#clientBundle?.handle(req, res, path)) return true;
    if (!enableMetrics) return false;
    if (this.#dashboard.handle(req, res, this.originAllowed(req))) return true;
    const pathname = pathnameOf(req);
    if (pathname !== `${path}/stats` && pathname !== `${path}/metrics`) return false;
    if (!this.originAllowed(req)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
      return true;
    }
    if (!bearerAuthorized(req, metricsToken)) {
      res
        .writeHead(401, {
          'content-type': 'text/plain',
          'www-authenticate': 'Bearer realm="smartsocket"',
        })
        .end('Unauthorized');
      return true;
    }
    return handleMetricsRequest(req, res, path, this.hooks.metrics);
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const { path } = this.opts;
    const pathname = pathnameOf(req);
    if (pathname !== path && pathname !== `${path}/`) return false;
    this.#admit(req, socket, head).catch((err: unknown) => {
      // Only our own bugs get here: drop this upgrade, keep the process.
      this.logger.error(`Upgrade failed: ${String(err)}`);
      socket.destroy();
    });
    return true;
  }

  async #admit(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const verdict = await this.hooks.admission.admit(req, 'websocket');
    if (isRefusal(verdict)) {
      this.logger.debug(`Refused upgrade from ${req.socket.remoteAddress}: ${verdict.message}`);
      // Full: answered in the protocol (ERROR ERR_CONN_005, close 1013) so clients back off.
      if (verdict.code === 'ERR_CONN_005') {
        this.#wss.handleUpgrade(req, socket, head, (ws) => this.#upgraded(ws, req, undefined));
        return;
      }
      if (verdict.status !== 400) this.stats.connectionRejected();
      rejectUpgrade(socket, verdict.status, STATUS_TEXT[verdict.status]);
      return;
    }
    // Gone while allowRequest ran, or the server stopped meanwhile: nothing to upgrade.
    if (socket.destroyed || this.#draining || this.#binding === undefined) {
      verdict.release();
      socket.destroy();
      return;
    }
    const pending = holdUntilUpgraded(socket, verdict);
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      pending.done();
      this.#upgraded(ws, req, verdict);
    });
  }

  // Its own method: a listener created next to the upgrade callback would share its scope and
  // keep the whole IncomingMessage (and the upgrade head) alive for the connection's lifetime.
  #upgraded(ws: WebSocket, req: IncomingMessage, ticket: AdmissionTicket | undefined): void {
    this.#sockets.add(ws);
    ws.on('close', this.#forget);
    if (ticket === undefined) this.#refuseFull(ws);
    else this.hooks.accept(new WsTransport(ws), req, ticket);
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

/**
 * Releases `ticket` if the socket closes before ws completes the upgrade (ws drops a bad
 * handshake without calling back). Its own function so the listener does not capture the request.
 */
function holdUntilUpgraded(socket: Duplex, ticket: AdmissionTicket): { done(): void } {
  const onClose = (): void => ticket.release();
  socket.once('close', onClose);
  return { done: () => socket.off('close', onClose) };
}
