// The one admission check on the HTTP request of a new connection, for every transport.
import type { IncomingMessage } from 'node:http';
import { askApp, type ErrorCode, type ErrorSink } from '@smartsocket/protocol';
import type { ResolvedOptions, TransportName } from './server-options.js';

/** An admitted request: where it comes from, and its connection slot, to give back once. */
export interface AdmissionTicket {
  /** The client address: the socket's, or the first `X-Forwarded-For` entry with `trustProxy`. */
  readonly address: string;
  /** Frees the slot (`maxConnections`, `maxConnectionsPerAddress`). Later calls do nothing. */
  release(): void;
}

/** A refused request: the HTTP status to answer (when still answering HTTP) and the error code. */
export interface AdmissionRefusal {
  readonly status: 400 | 403 | 503;
  readonly code: ErrorCode;
  readonly message: string;
}

/** The options the admission check reads. */
export type AdmissionOptions = Pick<
  ResolvedOptions,
  | 'transports'
  | 'allowedOrigins'
  | 'allowRequest'
  | 'maxConnections'
  | 'maxConnectionsPerAddress'
  | 'trustProxy'
>;

/** Whether `admit` refused the request. */
export function isRefusal(r: AdmissionTicket | AdmissionRefusal): r is AdmissionRefusal {
  return (r as AdmissionRefusal).status !== undefined;
}

class Ticket implements AdmissionTicket {
  #admission: Admission | undefined;
  constructor(
    admission: Admission,
    readonly address: string,
  ) {
    this.#admission = admission;
  }
  release(): void {
    const admission = this.#admission;
    this.#admission = undefined;
    admission?._release(this.address);
  }
}

/**
 * Decides, before any per-connection state exists, whether a new connection may be made — the
 * same rules for a WebSocket upgrade and a long-polling session, in this order: the transport is
 * enabled (else 400), the `Origin` is in `allowedOrigins` (else 403), `allowRequest(req)` says
 * true (false, a throw or a rejection: 403; errors go to the server's `error` event), then there
 * is room under `maxConnections` and `maxConnectionsPerAddress` (else 503 `ERR_CONN_005`). An
 * admitted request holds one slot until its ticket is released, which the connection does when
 * it closes; the slot is taken after `allowRequest` resolves, so concurrent requests never
 * overshoot a cap.
 *
 * @example
 * const verdict = await admission.admit(req, 'polling');
 * if (isRefusal(verdict)) return res.writeHead(verdict.status).end();
 * const session = createSession(verdict.address);
 * session.onClose(() => verdict.release());
 */
export class Admission {
  #total = 0;
  readonly #perAddress = new Map<string, number>();

  constructor(
    private readonly opts: AdmissionOptions,
    private readonly sink: ErrorSink,
  ) {}

  /** Connections admitted and not yet released. */
  get count(): number {
    return this.#total;
  }

  /** Slots held by `address`. */
  countOf(address: string): number {
    return this.#perAddress.get(address) ?? 0;
  }

  /** Runs every check; resolves with a ticket or a refusal, never rejects. */
  async admit(
    req: IncomingMessage,
    transport: TransportName,
  ): Promise<AdmissionTicket | AdmissionRefusal> {
    const { transports, allowRequest } = this.opts;
    if (!transports.includes(transport))
      return { status: 400, code: 'ERR_CONN_001', message: `Transport ${transport} is disabled` };
    if (!this.originAllowed(req))
      return { status: 403, code: 'ERR_CONN_001', message: 'Origin not allowed' };
    if (allowRequest) {
      const answer = await askApp(this.sink, allowRequest, req);
      if (!answer.ok || answer.value !== true)
        return { status: 403, code: 'ERR_CONN_001', message: 'Request refused' };
    }
    const address = this.addressOf(req);
    if (
      this.#total >= this.opts.maxConnections ||
      this.countOf(address) >= this.opts.maxConnectionsPerAddress
    )
      return { status: 503, code: 'ERR_CONN_005', message: 'Max connections exceeded' };
    this.#total++;
    this.#perAddress.set(address, this.countOf(address) + 1);
    return new Ticket(this, address);
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

  /** The client address: the first `X-Forwarded-For` entry with `trustProxy`, else the socket's. */
  addressOf(req: IncomingMessage): string {
    if (this.opts.trustProxy) {
      const header = req.headers['x-forwarded-for'];
      const value = Array.isArray(header) ? header[0] : header;
      const first = value?.split(',', 1)[0]?.trim();
      if (first) return first.slice(0, 64);
    }
    return req.socket.remoteAddress ?? '';
  }

  /** @internal called once per ticket */
  _release(address: string): void {
    this.#total--;
    const n = this.countOf(address) - 1;
    if (n > 0) this.#perAddress.set(address, n);
    else this.#perAddress.delete(address);
  }
}
