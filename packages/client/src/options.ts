// Client options: one interface with documented defaults, one defaults object, one validation.

import { decodeKey } from '@smartsocket/crypto';
import type { Logger } from '@smartsocket/logger';
import { DEFAULT_PATH, SmartSocketError } from '@smartsocket/protocol';
import type { EncryptionKeyOption } from './encryption-key.js';
import type { TimerProvider } from './timers.js';
import type { TransportName, WebSocketConstructor } from './transport.js';

/** Options of {@link SmartSocketClient}. Every field is optional. */
export interface ClientOptions {
  /**
   * Namespace to join. When absent, the URL path is the namespace (`ws://host/chat` → `/chat`).
   * @default '/'
   */
  namespace?: string;
  /**
   * Server endpoint path.
   * @default '/smartsocket'
   */
  path?: string;
  /**
   * Transports to try, in order. When the WebSocket cannot open (it errors before opening, a
   * proxy refuses the upgrade, or it has not opened within `websocketTimeout`) the client falls
   * back to long-polling within the same attempt, and its later reconnections start with
   * polling; a new `connect()` after `disconnect()` tries WebSocket again. A runtime without
   * WebSocket uses polling only.
   * @default ['websocket', 'polling']
   */
  transports?: TransportName[];
  /**
   * Ms to wait for the WebSocket to open before falling back to the next transport (a proxy
   * may hang the upgrade). Only used when a transport follows `'websocket'` in `transports`.
   * @default 5000
   */
  websocketTimeout?: number;
  /** API key sent in CONNECT. */
  apiKey?: string;
  /** Free-form authentication data sent in CONNECT (the server's `handshake.auth`). */
  auth?: unknown;
  /**
   * Seal every frame (the CONNECT included) with AES-256-GCM. Must match the server: a wrong
   * key fails `connect()` with `ERR_CONN_004`.
   * @default true when `encryptionKey` is given, else false
   */
  enableEncryption?: boolean;
  /**
   * Base64 of exactly 32 bytes (`npx @smartsocket/crypto keygen`), or a function returning it
   * (sync or async), called before every connection attempt: after a server key rotation the
   * client reconnects with whatever key the function returns then. Required when
   * `enableEncryption` is true.
   */
  encryptionKey?: EncryptionKeyOption;
  /**
   * Announce raw DEFLATE in CONNECT and compress outgoing sections when the server accepts it.
   * @default true
   */
  enableCompression?: boolean;
  /**
   * Compress only data sections larger than this many bytes (and only if it saves ≥ 10 %).
   * @default 1024
   */
  compressionThreshold?: number;
  /**
   * DEFLATE level, 1 (fastest) to 9 (smallest).
   * @default 6
   */
  compressionLevel?: number;
  /**
   * Ask the server for acknowledgements when `emit` is given a callback.
   * @default true
   */
  enableAcknowledgments?: boolean;
  /**
   * Base reconnection delay in ms: retry n waits `reconnectDelay × 1.5^(n−1)`.
   * @default 1000
   */
  reconnectDelay?: number;
  /**
   * Upper bound of the reconnection delay in ms.
   * @default 60000
   */
  reconnectDelayMax?: number;
  /**
   * Jitter: a delay d is drawn from [d·(1−r), d·(1+r)]; 0 gives the exact formula.
   * @default 0.5
   */
  randomizationFactor?: number;
  /**
   * Retries after a failed or lost connection before giving up (`Infinity` allowed; 0 = one try).
   * @default 10
   */
  maxReconnectAttempts?: number;
  /**
   * Ms to wait for an acknowledgement before the callback gets `ERR_ACK_001`.
   * @default 30000
   */
  ackTimeout?: number;
  /**
   * Ms between client HEARTBEATs.
   * @default the server's `heartbeatInterval` (sent in its CONNECT answer)
   */
  heartbeatInterval?: number;
  /**
   * Ms to wait for HEARTBEAT_ACK before counting a miss (3 misses → reconnect).
   * @default the server's `heartbeatTimeout`
   */
  heartbeatTimeout?: number;
  /**
   * Most emits kept while disconnected (the oldest are dropped).
   * @default 1000
   */
  queueSize?: number;
  /**
   * Ms a queued emit stays valid; older ones are dropped.
   * @default 300000
   */
  queueMaxAge?: number;
  /**
   * Bytes the client may hold emitted but not yet written to the network (`bufferedAmount`)
   * before `emit` returns false: past half of it `emit` returns false, and `drain` fires once
   * `bufferedAmount` is back under a quarter. Emits are still sent when it returns false; the
   * return value is the signal to pause the producer until `drain`.
   * @default 1048576 (1 MiB, like the server's)
   */
  maxBufferedBytes?: number;
  /**
   * Ms one connection attempt may take (transport open + CONNECT answer) before `ERR_CONN_002`.
   * @default 20000
   */
  timeout?: number;
  /**
   * Logger with `error/warn/info/debug`.
   * @default `createLogger('client')` of @smartsocket/logger (level warn; `DEBUG=smartsocket:*` for debug)
   */
  logger?: Logger;
  /**
   * WebSocket constructor to use.
   * @default `ws` on Node.js, `globalThis.WebSocket` in browsers
   */
  WebSocket?: WebSocketConstructor;
  /**
   * Timer functions (for tests).
   * @default the global timers
   * @internal
   */
  timers?: TimerProvider;
}

/** The defaults of every option that has one. */
export const clientDefaults = {
  path: DEFAULT_PATH,
  transports: ['websocket', 'polling'] as TransportName[],
  enableAcknowledgments: true,
  enableCompression: true,
  compressionThreshold: 1024,
  compressionLevel: 6,
  reconnectDelay: 1000,
  reconnectDelayMax: 60_000,
  randomizationFactor: 0.5,
  maxReconnectAttempts: 10,
  ackTimeout: 30_000,
  queueSize: 1000,
  queueMaxAge: 300_000,
  timeout: 20_000,
  websocketTimeout: 5_000,
  maxBufferedBytes: 1024 * 1024,
} satisfies ClientOptions;

/** Options after merging with the defaults and validation. */
export type ResolvedClientOptions = Omit<
  ClientOptions,
  keyof typeof clientDefaults | 'enableEncryption'
> &
  typeof clientDefaults & { enableEncryption: boolean };

function invalid(option: string, why: string): SmartSocketError {
  return new SmartSocketError('ERR_CONFIG_001', `Invalid option "${option}": ${why}`);
}

function checkNumber(opts: Record<string, unknown>, name: string, min: number, allowInf = false) {
  const v = opts[name];
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || (!allowInf && !Number.isFinite(v)))
    throw invalid(
      name,
      `expected a number ≥ ${min}${allowInf ? ' (or Infinity)' : ''}, got ${String(v)}`,
    );
}

/** Merges `user` over the defaults and validates the result (`ERR_CONFIG_001` naming the option). */
export function resolveOptions(user: ClientOptions = {}): ResolvedClientOptions {
  if (typeof user !== 'object' || user === null) throw invalid('options', 'expected an object');
  const defined = Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined));
  const opts = {
    ...clientDefaults,
    ...defined,
    enableEncryption: user.enableEncryption ?? user.encryptionKey !== undefined,
  } as ResolvedClientOptions;
  const o = opts as unknown as Record<string, unknown>;
  if (
    opts.namespace !== undefined &&
    (typeof opts.namespace !== 'string' || !opts.namespace.startsWith('/'))
  )
    throw invalid('namespace', 'expected a string starting with "/"');
  if (typeof opts.path !== 'string' || !opts.path.startsWith('/'))
    throw invalid('path', 'expected a string starting with "/"');
  if (
    !Array.isArray(opts.transports) ||
    opts.transports.length === 0 ||
    opts.transports.some((t) => t !== 'websocket' && t !== 'polling')
  )
    throw invalid('transports', "expected a non-empty array of 'websocket' | 'polling'");
  if (opts.apiKey !== undefined && typeof opts.apiKey !== 'string')
    throw invalid('apiKey', 'expected a string');
  if (typeof opts.enableEncryption !== 'boolean')
    throw invalid('enableEncryption', 'expected a boolean');
  // A string is checked now; a function's result before every connection attempt.
  if (opts.encryptionKey !== undefined && typeof opts.encryptionKey !== 'function')
    decodeKey(opts.encryptionKey, 'encryptionKey');
  if (opts.enableEncryption && opts.encryptionKey === undefined)
    throw invalid('encryptionKey', 'required when enableEncryption is true');
  if (typeof opts.enableAcknowledgments !== 'boolean')
    throw invalid('enableAcknowledgments', 'expected a boolean');
  if (typeof opts.enableCompression !== 'boolean')
    throw invalid('enableCompression', 'expected a boolean');
  checkNumber(o, 'compressionThreshold', 0);
  if (!Number.isInteger(opts.maxBufferedBytes) || opts.maxBufferedBytes < 1)
    throw invalid(
      'maxBufferedBytes',
      `expected an integer ≥ 1, got ${String(opts.maxBufferedBytes)}`,
    );
  if (
    !Number.isInteger(opts.compressionLevel) ||
    opts.compressionLevel < 1 ||
    opts.compressionLevel > 9
  )
    throw invalid(
      'compressionLevel',
      `expected an integer 1-9, got ${String(opts.compressionLevel)}`,
    );
  checkNumber(o, 'reconnectDelay', 0);
  checkNumber(o, 'reconnectDelayMax', 0);
  if (opts.reconnectDelayMax < opts.reconnectDelay)
    throw invalid('reconnectDelayMax', 'must be ≥ reconnectDelay');
  checkNumber(o, 'randomizationFactor', 0);
  if (opts.randomizationFactor > 1)
    throw invalid('randomizationFactor', 'expected a number in [0, 1]');
  checkNumber(o, 'maxReconnectAttempts', 0, true);
  if (Number.isFinite(opts.maxReconnectAttempts) && !Number.isInteger(opts.maxReconnectAttempts))
    throw invalid('maxReconnectAttempts', 'expected an integer or Infinity');
  checkNumber(o, 'ackTimeout', 1);
  if (opts.heartbeatInterval !== undefined) checkNumber(o, 'heartbeatInterval', 1);
  if (opts.heartbeatTimeout !== undefined) checkNumber(o, 'heartbeatTimeout', 1);
  checkNumber(o, 'queueSize', 0);
  checkNumber(o, 'queueMaxAge', 0, true);
  checkNumber(o, 'timeout', 1);
  checkNumber(o, 'websocketTimeout', 1);
  if (
    opts.logger !== undefined &&
    (['error', 'warn', 'info', 'debug'] as const).some(
      (m) => typeof opts.logger?.[m] !== 'function',
    )
  )
    throw invalid('logger', 'expected an object with error/warn/info/debug methods');
  if (opts.WebSocket !== undefined && typeof opts.WebSocket !== 'function')
    throw invalid('WebSocket', 'expected a WebSocket constructor');
  return opts;
}
