// Small HTTP helpers of the long-polling endpoint: coded ERROR answers and bounded body reading.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  DEFAULT_NAMESPACE,
  encodeMessage,
  FrameType,
  type SmartSocketError,
} from '@smartsocket/protocol';

/** Content type of every polling body that carries frames. */
export const OCTET_STREAM = 'application/octet-stream';

/**
 * Answers `status` with one plain ERROR frame `{ code, message }` (namespace `/`) as the body,
 * so a polling client learns the code just as a WebSocket client would from an ERROR frame.
 *
 * @example
 * answerError(res, 400, new SmartSocketError('ERR_CONN_006', 'Unknown session'), cors);
 */
export function answerError(
  res: ServerResponse,
  status: number,
  err: SmartSocketError,
  headers: OutgoingHttpHeaders = {},
  close = false,
): void {
  if (res.headersSent || res.writableEnded) return;
  const body = encodeMessage({
    type: FrameType.ERROR,
    namespace: DEFAULT_NAMESPACE,
    data: err.toJSON(),
  });
  res.writeHead(status, {
    ...headers,
    'content-type': OCTET_STREAM,
    'content-length': body.length,
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/** Why a body could not be read. */
export type BodyFailure = 'too-large' | 'aborted';

/**
 * Reads a request body of at most `limit` bytes. A declared `Content-Length` over the limit
 * fails before a byte is read; a body that grows past it fails as soon as it does, and what
 * was read is dropped (never buffered whole).
 *
 * @example
 * const body = await readBody(req, 1 << 20); if (typeof body === 'string') …
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | BodyFailure> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: Uint8Array | BodyFailure): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () =>
      finish(chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks, size))),
    );
    req.once('close', () => finish('aborted'));
    req.once('error', () => finish('aborted'));
  });
}
