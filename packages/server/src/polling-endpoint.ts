// The HTTP long-polling endpoint `{path}/poll`: opens sessions, holds GETs, applies POST bodies.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from '@smartsocket/logger';
import { SmartSocketError } from '@smartsocket/protocol';
import { type Admission, type AdmissionTicket, isRefusal } from './admission.js';
import { CapturedResponse } from './captured-response.js';
import { corsHeaders, preflightHeaders } from './cors.js';
import type { ForwardedAnswer, ForwardedRequest, PollingRouter } from './polling-forwarding.js';
import { answerError, OCTET_STREAM, readBody } from './polling-http.js';
import { PollingSessionStore } from './polling-session-store.js';
import { tokenOwner } from './polling-token.js';
import type { PollingTransport } from './polling-transport.js';
import type { ResolvedOptions } from './server-options.js';
import type { StatsCollector } from './stats-collector.js';

// A POST body holds frames whose data sections are each bounded by maxPayload: their headers
// (and a seal's nonce and tag) get this much room on top.
const BODY_HEADROOM = 64 * 1024;
// A forwarded request gets this long for the owner's answer on top of the owner's own bound
// (a held GET: pollingTimeout), so a node that died mid-request cannot hold it forever.
const FORWARD_GRACE_MS = 5000;

/** What the endpoint needs from the server. */
export interface PollingHooks {
  /** The admission check (transports, origins, `allowRequest`, connection caps). */
  admission: Admission;
  /** A new polling session passed every admission check; `ticket` holds its slot. */
  accept(transport: PollingTransport, req: IncomingMessage, ticket: AdmissionTicket): void;
  /** The cluster adapter that routes requests to their session's owner (none on one server). */
  router(): PollingRouter | undefined;
}

function splitUrl(url: string): { pathname: string; token: string | undefined } {
  const q = url.indexOf('?');
  if (q === -1) return { pathname: url, token: undefined };
  const token = new URLSearchParams(url.slice(q + 1)).get('token') ?? undefined;
  return { pathname: url.slice(0, q), token };
}

function isOctetStream(type: string | undefined): boolean {
  return type !== undefined && type.split(';', 1)[0]!.trim().toLowerCase() === OCTET_STREAM;
}

function isPollMethod(method: string | undefined): boolean {
  return method === 'GET' || method === 'POST';
}

function unknownSession(res: ServerResponse, cors: OutgoingHttpHeaders): void {
  answerError(
    res,
    400,
    new SmartSocketError('ERR_CONN_006', 'Unknown or expired polling session'),
    cors,
  );
}

/**
 * Serves `{path}/poll`. `POST` without a token opens a session (admission first) and answers
 * its token; `GET ?token=` is held until there are frames or `pollingTimeout` passes; `POST
 * ?token=` carries one transport message, applied in order (one POST at a time per session).
 * Every answer carries the CORS headers of `allowedOrigins`; preflights are answered.
 *
 * In a cluster, a token names the node that owns its session: a GET or POST for a session of
 * another live node is forwarded there over the adapter and answered with the owner's status
 * and body (a POST body is bounded here first; a held GET is bounded by the owner's
 * `pollingTimeout`, and here by that plus a grace period), so no sticky sessions are needed.
 *
 * @example
 * if (endpoint.handle(req, res)) return; // ours
 */
export class PollingEndpoint {
  readonly #store: PollingSessionStore;
  readonly #bodyLimit: number;

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly stats: StatsCollector,
    private readonly logger: Logger,
    private readonly hooks: PollingHooks,
  ) {
    this.#store = new PollingSessionStore(
      opts.pollingTimeout,
      opts.heartbeatInterval + opts.heartbeatTimeout,
    );
    this.#bodyLimit = opts.maxPayload + BODY_HEADROOM;
  }

  /** Set by `drain()` (server stop) until `resume()` (start): no new sessions meanwhile. */
  #draining = false;

  /** Handles the request when it is for `{path}/poll`; false otherwise. Never throws. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const { pathname, token } = splitUrl(req.url ?? '/');
    if (pathname !== `${this.opts.path}/poll`) return false;
    const cors = corsHeaders(req, this.opts.allowedOrigins);
    if (token === undefined && req.method === 'POST') {
      this.#open(req, res, cors).catch((err) => this.#internalError(res, err));
      return true;
    }
    if (cors === undefined) {
      this.#refuseOrigin(req, res);
      return true;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, ...preflightHeaders() }).end();
      return true;
    }
    if (token === undefined) {
      this.#badMethod(res, cors);
      return true;
    }
    const session = this.#store.get(token);
    if (!session) {
      const owner = tokenOwner(token);
      const router = owner === undefined ? undefined : this.hooks.router();
      if (router && owner !== router.nodeId && router.knows(owner!) && isPollMethod(req.method))
        this.#forward(router, owner!, token, req, res, cors).catch((err) =>
          this.#internalError(res, err),
        );
      else unknownSession(res, cors);
      return true;
    }
    if (req.method === 'GET') session.poll(res, cors);
    else if (req.method === 'POST')
      this.#post(session, req, res, cors).catch((err) => this.#internalError(res, err));
    else this.#badMethod(res, cors);
    return true;
  }

  /**
   * Server stop, after every connection was closed: waits up to `graceMs` for the clients to
   * collect their last frames (the DISCONNECT) on a GET, then ends the remaining sessions.
   */
  drain(graceMs: number): Promise<void> {
    this.#draining = true;
    return this.#store.drain(graceMs);
  }

  /** Server (re)start: new sessions may open again. */
  resume(): void {
    this.#draining = false;
  }

  async #open(
    req: IncomingMessage,
    res: ServerResponse,
    cors: OutgoingHttpHeaders | undefined,
  ): Promise<void> {
    // The admission call: every check a new session must pass, before any session state exists.
    const verdict = await this.hooks.admission.admit(req, 'polling');
    if (isRefusal(verdict) || cors === undefined) {
      this.stats.connectionRejected();
      if (isRefusal(verdict)) {
        this.logger.debug(`Refused polling session: ${verdict.message}`);
        const err = new SmartSocketError(verdict.code, verdict.message);
        answerError(res, verdict.status, err, cors, true);
      } else {
        verdict.release();
        answerError(res, 403, new SmartSocketError('ERR_CONN_001', 'Origin not allowed'), {}, true);
      }
      req.resume();
      return;
    }
    const body = await readBody(req, 0);
    if (body === 'aborted') {
      verdict.release();
      return;
    }
    if (body === 'too-large') {
      verdict.release();
      const err = new SmartSocketError('ERR_MSG_001', 'The open request has no body');
      answerError(res, 400, err, cors, true);
      return;
    }
    // The server stopped while allowRequest ran or the body arrived: no session after the drain.
    if (this.#draining) {
      verdict.release();
      answerError(res, 503, new SmartSocketError('ERR_CONN_001', 'Server is stopping'), cors, true);
      return;
    }
    const transport = this.#store.create(this.hooks.router()?.nodeId);
    this.hooks.accept(transport, req, verdict);
    res
      .writeHead(200, {
        ...cors,
        'content-type': 'text/plain; charset=utf-8',
        'content-length': transport.token.length,
        'cache-control': 'no-store',
      })
      .end(transport.token);
  }

  /**
   * Serves a request another node forwarded here (this node owns its session) through the same
   * code as a local one, recording the answer. `signal` aborts when the asker's client left.
   */
  serveForwarded(request: ForwardedRequest, signal: AbortSignal): Promise<ForwardedAnswer> {
    const captured = new CapturedResponse();
    const res = captured.asResponse();
    const session = this.#store.get(request.token);
    if (!session) unknownSession(res, {});
    else if (request.method === 'GET') {
      signal.addEventListener('abort', () => captured.abort(), { once: true });
      session.poll(res, {});
    } else if (this.#canPost(session, request.contentType, res, {})) {
      // Bounded by the forwarding node already; checked again here, where it is applied.
      if (request.body.length > this.#bodyLimit) this.#tooLarge(res, {});
      else this.#applyPost(session, request.body, res, {});
    }
    return captured.answer;
  }

  async #forward(
    router: PollingRouter,
    owner: string,
    token: string,
    req: IncomingMessage,
    res: ServerResponse,
    cors: OutgoingHttpHeaders,
  ): Promise<void> {
    const request: ForwardedRequest = { method: 'GET', token, body: new Uint8Array(0) };
    if (req.method === 'POST') {
      const contentType = req.headers['content-type'];
      if (!isOctetStream(contentType)) {
        this.#wrongType(res, cors);
        return;
      }
      const body = await readBody(req, this.#bodyLimit);
      if (body === 'aborted') return;
      if (body === 'too-large') {
        this.#tooLarge(res, cors);
        res.once('finish', () => req.socket.destroy());
        return;
      }
      Object.assign(request, { method: 'POST', contentType, body });
    }
    const gone = new AbortController();
    const onClose = (): void => {
      if (!res.writableEnded) gone.abort();
    };
    res.once('close', onClose);
    const timeout = FORWARD_GRACE_MS + (request.method === 'GET' ? this.opts.pollingTimeout : 0);
    let answer: ForwardedAnswer;
    try {
      answer = await router.forwardPolling(owner, request, timeout, gone.signal);
    } catch (err) {
      res.off('close', onClose);
      if (!gone.signal.aborted) answerError(res, 503, err as SmartSocketError, cors);
      return;
    }
    res.off('close', onClose);
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(answer.status, {
      ...cors,
      ...(answer.contentType ? { 'content-type': answer.contentType } : {}),
      'content-length': answer.body.length,
      'cache-control': 'no-store',
    });
    res.end(answer.body);
  }

  async #post(
    session: PollingTransport,
    req: IncomingMessage,
    res: ServerResponse,
    cors: OutgoingHttpHeaders,
  ): Promise<void> {
    if (!this.#canPost(session, req.headers['content-type'], res, cors)) return;
    session.posting = true;
    const body = await readBody(req, this.#bodyLimit);
    session.posting = false;
    if (body === 'aborted') return;
    if (body === 'too-large') {
      // Answered at once; the rest of the body is never read (the connection is closed).
      this.#tooLarge(res, cors);
      res.once('finish', () => req.socket.destroy());
      return;
    }
    this.#applyPost(session, body, res, cors);
  }

  /** A POST must carry frames, and only one may be in flight per session; else it is answered. */
  #canPost(
    session: PollingTransport,
    contentType: string | undefined,
    res: ServerResponse,
    cors: OutgoingHttpHeaders,
  ): boolean {
    if (!isOctetStream(contentType)) {
      this.#wrongType(res, cors);
      return false;
    }
    if (session.posting) {
      answerError(
        res,
        400,
        new SmartSocketError('ERR_MSG_001', 'A POST is already in flight for this session'),
        cors,
        true,
      );
      return false;
    }
    return true;
  }

  #applyPost(
    session: PollingTransport,
    body: Uint8Array,
    res: ServerResponse,
    cors: OutgoingHttpHeaders,
  ): void {
    res.writeHead(200, { ...cors, 'content-length': 0, 'cache-control': 'no-store' }).end();
    if (body.length > 0) session.receive(body);
  }

  #wrongType(res: ServerResponse, cors: OutgoingHttpHeaders): void {
    const err = new SmartSocketError('ERR_MSG_001', `Content-Type must be ${OCTET_STREAM}`);
    answerError(res, 415, err, cors, true);
  }

  #tooLarge(res: ServerResponse, cors: OutgoingHttpHeaders): void {
    const err = new SmartSocketError('ERR_MSG_004', `Body exceeds ${this.#bodyLimit} bytes`);
    answerError(res, 413, err, cors, true);
  }

  /** Only our own bugs get here: answer 500 and keep the process alive. */
  #internalError(res: ServerResponse, err: unknown): void {
    this.logger.error(`Polling request failed: ${(err as Error)?.stack ?? String(err)}`);
    answerError(res, 500, new SmartSocketError('ERR_CONN_001', 'Internal error'), {}, true);
  }

  /** A request of a foreign origin for an existing session, or a preflight: 403. */
  #refuseOrigin(req: IncomingMessage, res: ServerResponse): void {
    this.logger.debug(`Refused polling request from origin ${String(req.headers.origin)}`);
    answerError(res, 403, new SmartSocketError('ERR_CONN_001', 'Origin not allowed'));
  }

  #badMethod(res: ServerResponse, cors: OutgoingHttpHeaders): void {
    answerError(res, 405, new SmartSocketError('ERR_MSG_001', 'Method not allowed'), {
      ...cors,
      allow: 'GET, POST, OPTIONS',
    });
  }
}
