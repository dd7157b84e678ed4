// The long-polling transport: one session's held GET, its pending body, behind the Transport shape.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { SmartSocketError } from '@smartsocket/protocol';
import { answerError, OCTET_STREAM } from './polling-http.js';
import { CloseCode, type Transport, type TransportHandlers } from './transport.js';

type State = 'open' | 'closing' | 'closed';
/** Pending bytes past which the transport counts as saturated (Node's stream default). */
const SATURATED = 16 * 1024;

/** The held response's back reference to its transport (read by the shared listeners). */
const kTransport = Symbol('smartsocket.pollingTransport');
type HeldResponse = ServerResponse & { [kTransport]?: PollingTransport };
// Shared listeners (no closures per GET): `this` is the response, which points back here.
function onHeldClose(this: HeldResponse): void {
  this[kTransport]?._heldClosed(this);
}
function onWritten(this: HeldResponse): void {
  this[kTransport]?._written(this);
}

/**
 * One polling session. What the session layer sends is kept as the list of messages it handed
 * over (no copy: a broadcast's shared frame is referenced by every session that gets it) until
 * a GET takes them all as one body. `bufferedAmount` counts those bytes, so the same
 * `maxBufferedBytes` bound applies as to a WebSocket's unwritten bytes.
 *
 * @example
 * const transport = new PollingTransport(token, 25_000, (t) => sessions.delete(t.token));
 * transport.poll(res, corsHeaders); // answered when frames arrive, or by expire() after 25 s
 */
export class PollingTransport implements Transport {
  readonly name = 'polling' as const;
  /** When a GET of this session last started or ended (ms, `Date.now()`); POSTs do not count. */
  lastActive = Date.now();
  /** Whether a POST body is being read (a second concurrent one is refused). */
  posting = false;
  #handlers: TransportHandlers | undefined;
  #state: State = 'open';
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #held: ServerResponse | undefined;
  #heldHeaders: OutgoingHttpHeaders | undefined;
  /** When the held GET arrived (ms, `Date.now()`): the store's sweep answers it after `pollingTimeout`. */
  #heldSince = 0;
  /** The last answered GET while its bytes are still being written. */
  #writing: ServerResponse | undefined;
  #closeCode: number = CloseCode.NORMAL;
  #closeReason = '';

  constructor(
    /** The session's secret name (never the socket id). */
    readonly token: string,
    private readonly pollingTimeout: number,
    private readonly onGone: (transport: PollingTransport) => void,
  ) {}

  get bufferedAmount(): number {
    const writing = this.#writing;
    return this.#pendingBytes + (writing && !writing.writableFinished ? writing.writableLength : 0);
  }

  /** Past this many unsent bytes the session layer keeps further messages (droppable there). */
  get saturated(): boolean {
    return this.bufferedAmount >= SATURATED;
  }

  get open(): boolean {
    return this.#state === 'open';
  }

  /** Whether a GET is being held now (the session is alive while one is). */
  get polling(): boolean {
    return this.#held !== undefined;
  }

  setHandlers(handlers: TransportHandlers): void {
    this.#handlers = handlers;
  }

  send(bytes: Uint8Array): void {
    if (this.#state !== 'open') return;
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    // The send queue hands over one message per event-loop turn: answer the held GET now.
    if (this.#held) this.#answer();
  }

  /** A POST body: one transport message for the session layer. */
  receive(bytes: Uint8Array): void {
    if (this.#state === 'open') this.#handlers?.onMessage(bytes);
  }

  /**
   * A GET: answered at once with everything pending, else held until something is sent or
   * `pollingTimeout` passes (then answered empty). A second GET while one is held gets 400.
   */
  poll(res: ServerResponse, headers: OutgoingHttpHeaders): void {
    this.lastActive = Date.now();
    if (this.#held) {
      answerError(
        res,
        400,
        new SmartSocketError('ERR_MSG_001', 'A GET is already pending for this session'),
        headers,
      );
      return;
    }
    if (this.#state === 'closed') {
      answerError(res, 400, new SmartSocketError('ERR_CONN_006', 'Session closed'), headers);
      return;
    }
    this.#held = res;
    this.#heldHeaders = headers;
    if (this.#pendingBytes > 0 || this.#state === 'closing') {
      this.#answer();
      return;
    }
    // No timer per GET: the session store's one sweep answers it once `pollingTimeout` passed.
    this.#heldSince = this.lastActive;
    (res as HeldResponse)[kTransport] = this;
    res.once('close', onHeldClose);
  }

  /** @internal A held response closed (the client went away mid-GET, or it was answered). */
  _heldClosed(res: ServerResponse): void {
    // Gone mid-GET: the session waits for the next GET; the store's sweep ends it if none comes.
    if (this.#held !== res) return;
    this.#release();
    this.lastActive = Date.now();
  }

  /** @internal An answered GET's bytes are all written: it is not kept (nor its request). */
  _written(res: ServerResponse): void {
    if (this.#writing !== res) return;
    this.#writing = undefined;
    if (this.#state === 'open') this.#handlers?.onDrain();
  }

  /** Answers the held GET (empty) once it has been held for `pollingTimeout` ms by `now`. */
  expire(now: number): void {
    if (this.#held && now - this.#heldSince >= this.pollingTimeout) this.#answer();
  }

  /** Ends the session after its pending frames have gone out on the current or next GET. */
  close(code: number, reason: string): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#closeCode = code;
    this.#closeReason = reason;
    if (this.#held) this.#answer();
    else if (this.#pendingBytes === 0) this.#finish();
  }

  /** Ends at once: pending frames are dropped, a held GET gets 400. */
  terminate(): void {
    if (this.#state === 'closed') return;
    const res = this.#held;
    const headers = this.#heldHeaders;
    this.#release();
    this.#pending = [];
    this.#pendingBytes = 0;
    if (this.#state === 'open') {
      this.#closeCode = CloseCode.ABNORMAL;
      this.#closeReason = 'polling session ended';
    }
    if (res) answerError(res, 400, new SmartSocketError('ERR_CONN_006', 'Session ended'), headers);
    this.#finish();
  }

  /** Answers the held GET with every pending message as one body. */
  #answer(): void {
    const res = this.#held!;
    const headers = this.#heldHeaders;
    this.#release();
    const chunks = this.#pending;
    const length = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    if (!res.writableEnded && !res.destroyed) {
      res.writeHead(200, {
        ...headers,
        'content-type': OCTET_STREAM,
        'content-length': length,
        'cache-control': 'no-store',
      });
      // Each message as is: a shared broadcast frame is written, not copied, per session.
      if (chunks.length === 1) res.end(chunks[0]);
      else {
        res.cork();
        for (const chunk of chunks) res.write(chunk);
        res.end();
      }
      if (!res.writableFinished) {
        this.#writing = res;
        (res as HeldResponse)[kTransport] = this;
        res.once('finish', onWritten);
      }
    }
    if (this.#state === 'closing') this.#finish();
    // Written at once (or the GET was gone): the session layer may hand over what waits.
    else if (this.#writing === undefined && length > 0) this.#handlers?.onDrain();
  }

  #release(): void {
    this.#held = undefined;
    this.#heldHeaders = undefined;
  }

  #finish(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#release();
    this.#writing = undefined;
    this.onGone(this);
    // Reported after the caller's turn, as a WebSocket's close is: a session closing itself
    // (`close()` then its own bookkeeping) keeps its own reason.
    const handlers = this.#handlers;
    const code = this.#closeCode;
    const reason = this.#closeReason;
    if (handlers) queueMicrotask(() => handlers.onClose(code, reason));
  }
}
