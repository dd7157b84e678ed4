// A stand-in for a ServerResponse that records the answer to a forwarded polling request.
import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ForwardedAnswer } from './polling-forwarding.js';

/**
 * The part of `ServerResponse` the polling transport and `answerError` use, recording the
 * status, content type and body instead of writing them to a socket. It lets the owner of a
 * session serve a forwarded GET or POST through exactly the code that serves a local one.
 * `abort()` is the client going away: a held GET is released (its frames stay pending).
 *
 * @example
 * const res = new CapturedResponse();
 * session.poll(res.asResponse(), {});
 * const answer = await res.answer; // { status, contentType, body }
 */
export class CapturedResponse extends EventEmitter {
  headersSent = false;
  writableEnded = false;
  writableFinished = false;
  destroyed = false;
  readonly writableLength = 0;
  /** Resolves when the response ended (or with status 0 when it was aborted first). */
  readonly answer: Promise<ForwardedAnswer>;
  #status = 200;
  #contentType: string | undefined;
  #chunks: Uint8Array[] = [];
  #resolve!: (answer: ForwardedAnswer) => void;

  constructor() {
    super();
    this.answer = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** This object where a `ServerResponse` is expected (only the recorded subset is used). */
  asResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }

  writeHead(status: number, headers?: OutgoingHttpHeaders): this {
    this.#status = status;
    const type = headers?.['content-type'];
    if (typeof type === 'string') this.#contentType = type;
    this.headersSent = true;
    return this;
  }

  cork(): void {}

  write(chunk: Uint8Array): boolean {
    if (!this.writableEnded) this.#chunks.push(chunk);
    return true;
  }

  end(chunk?: Uint8Array | string): this {
    if (this.writableEnded) return this;
    if (chunk !== undefined && chunk.length > 0)
      this.#chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    this.writableEnded = true;
    this.writableFinished = true;
    const body = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    this.#chunks = [];
    this.#resolve({ status: this.#status, contentType: this.#contentType, body });
    // As a real response does, after the caller's turn: the transport has let go by then.
    queueMicrotask(() => {
      this.emit('finish');
      this.emit('close');
    });
    return this;
  }

  /** The client of the forwarding node went away before the answer. */
  abort(): void {
    if (this.writableEnded || this.destroyed) return;
    this.destroyed = true;
    this.#resolve({ status: 0, body: new Uint8Array(0) });
    this.emit('close');
  }
}
