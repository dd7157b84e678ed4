// The CONNECT handshake bodies: what the client announces and how the server's answer is read.
import { DEFAULT_MAX_PAYLOAD, SmartSocketError } from '@smartsocket/protocol';
import type { AnnouncedPolicy } from './reconnect-policy.js';

/** Body of the client's CONNECT frame (docs/PROTOCOL.md, "Handshake"). */
export interface ConnectRequest {
  apiKey?: string;
  auth?: unknown;
  caps: { compression: string[]; binary: boolean; seq?: boolean };
  /** Recovery of the previous sequenced session: its token and the last positions received. */
  session?: { token: string; u: number; b: number };
  /** With encryption on: this attempt's fresh handshake nonce (base64 of 32 bytes). */
  nonce?: string;
}

/** The server's CONNECT answer. */
export interface HandshakeAnswer {
  /** Recovery session token. */
  sid: string;
  /** Socket id (UUID v4). */
  id: string;
  heartbeatInterval: number;
  heartbeatTimeout: number;
  maxPayload: number;
  recovered: boolean;
  caps: { compression: string[]; seq?: boolean };
  /** A sequenced session's token (single use: the next recovery presents it). */
  session?: string;
  /** A sequenced session: the last client sequence number the server has. */
  received?: number;
  /** The server's reconnection policy as sent, used where the client set none of its own. */
  reconnect?: AnnouncedPolicy;
  /** With encryption on: the server's handshake nonce (base64), checked by the codec. */
  nonce?: unknown;
  /** With encryption on: the broadcast group `{ salt, seq }`, checked by the codec. */
  group?: { salt?: unknown; seq?: unknown };
}

/** Builds the CONNECT body. */
export function connectRequest(opts: {
  apiKey?: string;
  auth?: unknown;
  compression: string[];
  session?: ConnectRequest['session'];
  nonce?: string;
}): ConnectRequest {
  // `seq`: this client speaks sequencing (positions, sequence numbers, recovery).
  const body: ConnectRequest = { caps: { compression: opts.compression, binary: true, seq: true } };
  if (opts.apiKey !== undefined) body.apiKey = opts.apiKey;
  if (opts.auth !== undefined) body.auth = opts.auth;
  if (opts.session !== undefined) body.session = opts.session;
  if (opts.nonce !== undefined) body.nonce = opts.nonce;
  return body;
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** Validates the server's CONNECT answer; anything unusable is `ERR_CONN_003`. */
export function parseHandshakeAnswer(value: unknown): HandshakeAnswer {
  const v = value as Partial<HandshakeAnswer> | null;
  if (typeof v !== 'object' || v === null || typeof v.id !== 'string' || v.id === '')
    throw new SmartSocketError('ERR_CONN_003', 'Handshake failed: CONNECT answer without an id');
  if (!positive(v.heartbeatInterval) || !positive(v.heartbeatTimeout))
    throw new SmartSocketError('ERR_CONN_003', 'Handshake failed: bad heartbeat settings');
  const compression = Array.isArray(v.caps?.compression)
    ? v.caps.compression.filter((c): c is string => typeof c === 'string')
    : [];
  return {
    // Checked field by field where it is applied (`withAnnounced`).
    reconnect: (v as { reconnect?: AnnouncedPolicy }).reconnect,
    sid: typeof v.sid === 'string' ? v.sid : '',
    id: v.id,
    heartbeatInterval: v.heartbeatInterval,
    heartbeatTimeout: v.heartbeatTimeout,
    maxPayload: positive(v.maxPayload) ? v.maxPayload : DEFAULT_MAX_PAYLOAD,
    recovered: v.recovered === true,
    caps: v.caps?.seq === true ? { compression, seq: true } : { compression },
    ...(typeof v.session === 'string' && v.caps?.seq === true ? { session: v.session } : {}),
    ...(typeof v.received === 'number' && Number.isInteger(v.received) && v.received >= 0
      ? { received: v.received }
      : {}),
    ...(v.nonce === undefined ? {} : { nonce: v.nonce }),
    ...(typeof v.group === 'object' && v.group !== null ? { group: v.group } : {}),
  };
}
