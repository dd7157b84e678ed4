// Long-polling transport over `fetch` (browsers and Node alike): one held GET, one POST at a time.
import {
  concatFrames,
  DEFAULT_MAX_PAYLOAD,
  decodeFrameData,
  decodeFrames,
  type ErrorCode,
  ErrorCodes,
  FrameType,
} from '@smartsocket/protocol';
import { EventEmitter } from 'eventemitter3';
import { CloseCode, type Transport, type TransportEvents } from './transport.js';

/** The `fetch` function the transport uses (the global one by default). */
export type FetchLike = typeof globalThis.fetch;

const ABNORMAL = CloseCode.ABNORMAL;
const OCTET_STREAM = 'application/octet-stream';
const POST_HEADERS = { 'content-type': OCTET_STREAM };

/** The bytes of a view as an ArrayBuffer of exactly that length (no copy when it already is). */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
    return bytes.buffer as ArrayBuffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** The close code and message an error answer of the server stands for. */
function errorOf(status: number, body: Uint8Array): { code: number; message: string } {
  try {
    const frame = decodeFrames(body)[0];
    if (frame?.type === FrameType.ERROR) {
      const data = decodeFrameData(frame) as { code?: string; message?: string };
      const known = ErrorCodes[data.code as ErrorCode];
      if (known) return { code: known.closeCode, message: `${data.code}: ${data.message ?? ''}` };
    }
  } catch {
    // Not one of ours (a proxy's page): fall through to the HTTP status.
  }
  return { code: ABNORMAL, message: `HTTP ${status}` };
}

/**
 * Long-polling client transport. `open()` POSTs to `{path}/poll` for a session token, then keeps
 * exactly one GET outstanding (each answer is one transport message, possibly empty) and sends
 * with at most one POST in flight: everything sent meanwhile leaves together in the next POST,
 * in order. `close()` aborts the held GET (`AbortController`); a normal close still lets the
 * last POST (the DISCONNECT) go out. An error answer of the server (an ERROR frame body) closes
 * with that error's close code, so the session above reads it as it would a WebSocket close.
 *
 * @example
 * const t = new PollingTransport('http://localhost:3000/smartsocket/poll');
 * t.on('open', () => t.send(connectFrame)); t.open();
 */
export class PollingTransport implements Transport {
  readonly name = 'polling' as const;
  maxMessageBytes = DEFAULT_MAX_PAYLOAD;
  private readonly events = new EventEmitter<TransportEvents>();
  private onMessage: TransportEvents['message'] | undefined;
  private sessionUrl: string | undefined;
  private closed = false;
  /** After a normal close: the POSTs already queued still go out. */
  private draining = false;
  private queue: Uint8Array[] = [];

  /** Bytes waiting for the next POST. */
  get bufferedAmount(): number {
    let n = 0;
    for (const m of this.queue) n += m.length;
    return n;
  }
  private posting = false;
  /** Cancels the open request and the held GET. */
  private readonly getAbort = new AbortController();
  /** Cancels POSTs (not on a normal close: the last one carries the DISCONNECT). */
  private readonly postAbort = new AbortController();

  constructor(
    private readonly url: string,
    private readonly fetchImpl: FetchLike = globalThis.fetch.bind(globalThis),
  ) {}

  on<E extends keyof TransportEvents>(event: E, fn: TransportEvents[E]): void {
    if (event === 'message' && !this.onMessage) this.onMessage = fn as TransportEvents['message'];
    else this.events.on(event, fn as never);
  }

  open(): void {
    void this.start();
  }

  send(bytes: Uint8Array): void {
    if (this.closed) return;
    this.queue.push(bytes);
    if (!this.posting && this.sessionUrl) void this.flush();
  }

  close(code: number = CloseCode.NORMAL, reason = ''): void {
    if (this.closed) return;
    this.draining = code !== ABNORMAL && this.sessionUrl !== undefined;
    this.getAbort.abort();
    if (!this.draining) this.postAbort.abort();
    this.finish(code, reason);
  }

  private async start(): Promise<void> {
    try {
      const res = await this.fetchImpl(this.url, {
        method: 'POST',
        cache: 'no-store',
        signal: this.getAbort.signal,
      });
      if (this.closed) return;
      if (!res.ok) {
        await this.failWith(res);
        return;
      }
      const token = (await res.text()).trim();
      if (this.closed) return;
      const sep = this.url.includes('?') ? '&' : '?';
      this.sessionUrl = `${this.url}${sep}token=${encodeURIComponent(token)}`;
      this.events.emit('open');
      if (this.queue.length > 0 && !this.posting) void this.flush();
      void this.poll();
    } catch (err) {
      this.fail(err);
    }
  }

  /** The GET loop: one outstanding at a time, each answer delivered before the next is sent. */
  private async poll(): Promise<void> {
    const url = this.sessionUrl!;
    while (!this.closed) {
      let body: Uint8Array;
      try {
        const res = await this.fetchImpl(url, {
          method: 'GET',
          cache: 'no-store',
          signal: this.getAbort.signal,
        });
        if (this.closed) return;
        if (!res.ok) {
          await this.failWith(res);
          return;
        }
        body = new Uint8Array(await res.arrayBuffer());
      } catch (err) {
        this.fail(err);
        return;
      }
      if (this.closed) return;
      if (body.length > 0) this.onMessage?.(body);
    }
  }

  /**
   * The queued messages for the next POST: as many as fit in `maxMessageBytes` together (at least
   * one), so a body never exceeds what the server accepts; the rest wait for the next POST.
   */
  private takeBatch(): Uint8Array[] {
    let size = 0;
    let n = 0;
    while (n < this.queue.length) {
      const next = this.queue[n]!.length;
      if (n > 0 && size + next > this.maxMessageBytes) break;
      size += next;
      n++;
    }
    const batch = n === this.queue.length ? this.queue : this.queue.slice(0, n);
    this.queue = n === this.queue.length ? [] : this.queue.slice(n);
    return batch;
  }

  /** Sends what is queued, one POST at a time; what is queued meanwhile goes in the next one. */
  private async flush(): Promise<void> {
    this.posting = true;
    const url = this.sessionUrl!;
    while (this.queue.length > 0 && (!this.closed || this.draining)) {
      const frames = this.takeBatch();
      const body = frames.length === 1 ? frames[0]! : concatFrames(frames);
      try {
        const res = await this.fetchImpl(url, {
          method: 'POST',
          headers: POST_HEADERS,
          body: exactBuffer(body),
          cache: 'no-store',
          signal: this.postAbort.signal,
        });
        if (!res.ok) {
          await this.failWith(res);
          break;
        }
        await res.arrayBuffer();
      } catch (err) {
        this.fail(err);
        break;
      }
    }
    this.posting = false;
    if (this.closed) this.queue = [];
  }

  private async failWith(res: Response): Promise<void> {
    let body = new Uint8Array(0);
    try {
      body = new Uint8Array(await res.arrayBuffer());
    } catch {
      // The body is only a hint.
    }
    if (this.closed) return;
    const { code, message } = errorOf(res.status, body);
    this.events.emit('error', new Error(`Polling request refused: ${message}`));
    this.abortAll();
    this.finish(code, message);
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    this.events.emit('error', err instanceof Error ? err : new Error(String(err)));
    this.abortAll();
    this.finish(ABNORMAL, 'polling request failed');
  }

  private abortAll(): void {
    this.getAbort.abort();
    this.postAbort.abort();
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.events.emit('close', code, reason);
    this.events.removeAllListeners();
    this.onMessage = undefined;
  }
}
