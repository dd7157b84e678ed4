// What a client is told when app code fails: the code and a generic message, never the app's text.
import {
  type ErrorCode,
  ErrorCodes,
  isErrorCode,
  isSmartSocketError,
  SmartSocketError,
} from '@smartsocket/protocol';

/**
 * The error to send to a client for `err`, thrown (or passed to `next`) by app code. A
 * `SmartSocketError` is sent as the app made it, on purpose. Anything else may carry internals
 * (a database message, a stack): the client gets only a code — the error's own `code` when it is
 * one of ours, else `fallback` — and that code's generic message (or `message`).
 *
 * @example
 * conn.sendError(publicError(new Error('db password wrong'), 'ERR_MW_001'));
 * // → { code: 'ERR_MW_001', message: 'Rejected by middleware' }
 */
export function publicError(err: unknown, fallback: ErrorCode, message?: string): SmartSocketError {
  if (isSmartSocketError(err)) return err;
  const own = (err as { code?: unknown } | null)?.code;
  if (isErrorCode(own)) return new SmartSocketError(own, ErrorCodes[own].message);
  return new SmartSocketError(fallback, message ?? ErrorCodes[fallback].message);
}
