// The CONNECT handshake rules: body shape, namespace, API key, `authenticate`, and the answer.
import { type CipherKey, decodeSessionNonce } from '@smartsocket/crypto';
import {
  askApp,
  type Frame,
  FrameType,
  isSmartSocketError,
  type MessageInit,
  SmartSocketError,
} from '@smartsocket/protocol';
import type { ConnectionRequest } from './connection-request.js';
import type { PeerContext } from './frame-pipeline.js';
import type { Handshake, PeerCaps } from './handshake.js';
import type { Namespace } from './namespace.js';
import type { ServerContext } from './server-context.js';
import type { StreamPosition } from './stream-log.js';

export type { ConnectionRequest } from './connection-request.js';

/** An accepted CONNECT. */
export interface AcceptedConnect {
  nsp: Namespace;
  handshake: Handshake;
  /** The shared key the CONNECT was sealed with (encryption on): session keys derive from it. */
  key: CipherKey | undefined;
  /** The client's handshake nonce (encryption on). */
  nonce?: Uint8Array;
  /** A sequenced client's recovery request: its session token and where its stream stopped. */
  resume?: { token: string; at: StreamPosition };
}

const MAX_POSITION = 0x7fff_ffff;
function isPosition(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_POSITION
  );
}

/** CONNECT's `session: { token, u, b }`, when well formed (anything else: no recovery asked). */
function parseResume(value: unknown): AcceptedConnect['resume'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const { token, u, b } = value as Record<string, unknown>;
  if (typeof token !== 'string' || token.length === 0 || token.length > 64) return undefined;
  if (!isPosition(u) || !isPosition(b)) return undefined;
  return { token, at: { unicast: u, broadcast: b } };
}

function parseCaps(value: unknown, sequencing: boolean): PeerCaps {
  const caps = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const compression = Array.isArray(caps.compression)
    ? caps.compression.filter((c): c is string => typeof c === 'string')
    : [];
  const binary = caps.binary !== false;
  return sequencing && caps.seq === true
    ? { compression, binary, seq: true }
    : { compression, binary };
}

function readBody(
  ctx: ServerContext,
  frame: Frame,
  peer: PeerContext,
): { body: Record<string, unknown>; key: CipherKey | undefined } {
  // Not sealed / does not open / sealed but encryption off: ERR_CONN_004 from the pipeline.
  const opened = ctx.pipeline.openConnect(frame);
  let value: unknown;
  try {
    value = ctx.pipeline.decodeData(opened.frame, peer);
  } catch (err) {
    throw new SmartSocketError('ERR_CONN_003', isSmartSocketError(err) ? err.message : undefined);
  }
  if (value === undefined) return { body: {}, key: opened.key };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SmartSocketError('ERR_CONN_003', 'CONNECT data must be an object');
  return { body: value as Record<string, unknown>, key: opened.key };
}

/**
 * Checks a CONNECT frame `{ apiKey?, auth?, caps }`: with encryption on it must be sealed with
 * an accepted key, and must not be sealed with encryption off (`ERR_CONN_004`); the namespace must have been created by the
 * app (`ERR_MSG_005`), the API key must match the `apiKey` option when set, and `authenticate`
 * must say true (`ERR_CONN_004`; a throw counts as false). Gives the accepted request or the
 * `SmartSocketError` to refuse with — synchronously when there is no `authenticate` option (the
 * common case: no Promise per connection), else as a Promise that never rejects.
 */
export function readConnect(
  ctx: ServerContext,
  frame: Frame,
  peer: PeerContext,
  request: ConnectionRequest,
): AcceptedConnect | SmartSocketError | Promise<AcceptedConnect | SmartSocketError> {
  let body: Record<string, unknown>;
  let key: CipherKey | undefined;
  try {
    ({ body, key } = readBody(ctx, frame, peer));
  } catch (err) {
    return err as SmartSocketError;
  }
  let nonce: Uint8Array | undefined;
  if (key) {
    // Before anything else looks at the body: a replayed CONNECT never reaches `authenticate`.
    nonce = decodeSessionNonce(body.nonce);
    if (!nonce) return new SmartSocketError('ERR_CONN_003', 'CONNECT without a session nonce');
    if (!ctx.pipeline.sessions!.claim(body.nonce as string))
      return new SmartSocketError('ERR_MSG_003', 'Replayed CONNECT');
  }
  const nsp = ctx.getNamespace(frame.namespace);
  if (!nsp) return new SmartSocketError('ERR_MSG_005', `Unknown namespace ${frame.namespace}`);
  const apiKey = typeof body.apiKey === 'string' ? body.apiKey : undefined;
  if (ctx.opts.apiKeys && (apiKey === undefined || !ctx.opts.apiKeys.includes(apiKey)))
    return new SmartSocketError('ERR_CONN_004', 'Invalid API key');
  const handshake: Handshake = {
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(body.auth === undefined ? {} : { auth: body.auth }),
    headers: request.headers,
    address: request.address,
    namespace: nsp.name,
    url: request.url,
    issued: Date.now(),
    caps: parseCaps(body.caps, ctx.opts.enableMessageCache),
  };
  const resume = handshake.caps.seq ? parseResume(body.session) : undefined;
  const accepted: AcceptedConnect = {
    nsp,
    handshake,
    key,
    ...(nonce ? { nonce } : {}),
    ...(resume ? { resume } : {}),
  };
  return ctx.opts.authenticate ? authenticate(ctx, accepted) : accepted;
}

/**
 * Runs the `authenticate` option: true accepts, anything else is `ERR_CONN_004`. A throw or a
 * rejection is reported on the server's `error` event and refuses the client with `ERR_CONN_004`
 * and its generic message — or, for a `SmartSocketError` thrown on purpose, with that error.
 */
async function authenticate(
  ctx: ServerContext,
  accepted: AcceptedConnect,
): Promise<AcceptedConnect | SmartSocketError> {
  const answer = await askApp(ctx.reportError, ctx.opts.authenticate!, accepted.handshake);
  if (answer.ok) return answer.value === true ? accepted : new SmartSocketError('ERR_CONN_004');
  return isSmartSocketError(answer.error) ? answer.error : new SmartSocketError('ERR_CONN_004');
}

/** The sequencing part of a CONNECT answer: the new token, recovered or not, client seq seen. */
export interface SessionAnswer {
  session: string;
  recovered: boolean;
  received: number;
}

/**
 * `{ reconnect: { delay, maxAttempts } }` when the server sets `reconnectDelay` or
 * `maxReconnectAttempts`: the policy clients use unless they set their own (`maxAttempts: null`
 * means unlimited, as JSON has no Infinity). Nothing when neither is set.
 */
function reconnectPolicy(ctx: ServerContext): { reconnect?: Record<string, number | null> } {
  const { reconnectDelay: delay, maxReconnectAttempts: attempts } = ctx.opts;
  if (delay === undefined && attempts === undefined) return {};
  const reconnect: Record<string, number | null> = {};
  if (delay !== undefined) reconnect.delay = delay;
  if (attempts !== undefined) reconnect.maxAttempts = Number.isFinite(attempts) ? attempts : null;
  return { reconnect };
}

/**
 * The CONNECT answer `{ sid, id, heartbeatInterval, heartbeatTimeout, maxPayload, recovered,
 * reconnect?, caps }`, plus `{ nonce, group }` with encryption on (`keys`), plus
 * `{ session, received }` for a sequenced session.
 */
export function connectAnswer(
  ctx: ServerContext,
  namespace: string,
  id: string,
  sid: string,
  caps: PeerCaps,
  keys?: Record<string, unknown>,
  sequenced?: SessionAnswer,
): MessageInit {
  return {
    type: FrameType.CONNECT,
    namespace,
    data: {
      sid,
      id,
      heartbeatInterval: ctx.opts.heartbeatInterval,
      heartbeatTimeout: ctx.opts.heartbeatTimeout,
      maxPayload: ctx.opts.maxPayload,
      recovered: false,
      ...reconnectPolicy(ctx),
      caps: {
        // The server never compresses for a client that did not announce the algorithm.
        compression: ctx.pipeline.compression.filter((c) => caps.compression.includes(c)),
        binary: true,
        ...(caps.seq ? { seq: true } : {}),
      },
      ...keys,
      ...sequenced,
    },
  };
}
