// The single error class of SmartSocket: a stable code, a message, an optional cause.
import { type ErrorCode, ErrorCodes, isErrorCode } from './error-codes.js';

/** Extra fields a {@link SmartSocketError} may carry. */
export interface SmartSocketErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Milliseconds until a retry may succeed (rate limits). */
  retryAfter?: number;
  /** The event the error is about, when there is one. */
  event?: string;
  /** The ack id the error is about, when there is one. */
  ackId?: number;
}

/**
 * The one error type SmartSocket throws, rejects with and sends. Test `err.code`, never the message.
 *
 * @example
 * throw new SmartSocketError('ERR_ACK_001', 'Acknowledgment timeout');
 * // err.code === 'ERR_ACK_001'; err.closeCode === 1011
 */
export class SmartSocketError extends Error {
  override readonly name = 'SmartSocketError';
  readonly code: ErrorCode;
  /** The WebSocket close code to use when this error ends a connection. */
  readonly closeCode: number;
  readonly retryAfter?: number;
  readonly event?: string;
  readonly ackId?: number;

  constructor(code: ErrorCode, message?: string, options: SmartSocketErrorOptions = {}) {
    const entry = ErrorCodes[code];
    super(
      message ?? entry.message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.closeCode = entry.closeCode;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.event !== undefined) this.event = options.event;
    if (options.ackId !== undefined) this.ackId = options.ackId;
  }

  /** The `{ code, message, event?, ackId?, retryAfter? }` body of an ERROR frame. */
  toJSON(): ErrorPayload {
    const out: ErrorPayload = { code: this.code, message: this.message };
    if (this.event !== undefined) out.event = this.event;
    if (this.ackId !== undefined) out.ackId = this.ackId;
    if (this.retryAfter !== undefined) out.retryAfter = this.retryAfter;
    return out;
  }

  /** Rebuilds an error from an ERROR frame body; unknown codes become `ERR_MSG_001`. */
  static fromPayload(payload: unknown): SmartSocketError {
    const p = (
      typeof payload === 'object' && payload !== null ? payload : {}
    ) as Partial<ErrorPayload>;
    const code = isErrorCode(p.code) ? p.code : 'ERR_MSG_001';
    const opts: SmartSocketErrorOptions = {};
    if (typeof p.event === 'string') opts.event = p.event;
    if (typeof p.ackId === 'number') opts.ackId = p.ackId;
    if (typeof p.retryAfter === 'number') opts.retryAfter = p.retryAfter;
    return new SmartSocketError(code, typeof p.message === 'string' ? p.message : undefined, opts);
  }
}

/** The JSON body of an ERROR frame (docs/ERRORS.md). */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  event?: string;
  ackId?: number;
  retryAfter?: number;
}

/** True when `err` is a {@link SmartSocketError} (also across package copies). */
export function isSmartSocketError(err: unknown): err is SmartSocketError {
  return (
    err instanceof SmartSocketError ||
    (err instanceof Error &&
      err.name === 'SmartSocketError' &&
      isErrorCode((err as { code?: unknown }).code))
  );
}
