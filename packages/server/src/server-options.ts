// Server options: one interface, one defaults object, merged and validated once (ERR_CONFIG_001).
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from '@smartsocket/logger';
import { DEFAULT_MAX_PAYLOAD, DEFAULT_PATH, SmartSocketError } from '@smartsocket/protocol';
import type { AdapterFactory } from './adapter.js';
import type { Handshake } from './handshake.js';

/** A transport the server can accept. */
export type TransportName = 'websocket' | 'polling';

/** What `authenticate` receives. */
export type AuthenticateHandshake = Pick<
  Handshake,
  'apiKey' | 'auth' | 'headers' | 'address' | 'namespace'
>;

/** Options of `new SmartSocket(options)`; each is documented in the server README. */
export interface SmartSocketOptions {
  /** Port to listen on; `0` picks a free port (see `server.port`). @default 3000 */
  port?: number;
  /** Host to bind. @default 'localhost' */
  host?: string;
  /** An existing `http`/`https` server to attach to; `start()` listens on it if it is not yet listening. */
  server?: HttpServer | HttpsServer;
  /** Endpoint path for WebSocket, long-polling (`{path}/poll`) and stats. @default '/smartsocket' */
  path?: string;
  /** Accepted transports. @default ['websocket', 'polling'] */
  transports?: TransportName[];
  /** ms a long-polling GET is held open before it is answered empty. @default 25000 */
  pollingTimeout?: number;
  /** Encrypt data sections (AES-256-GCM). `true` without a key is an error. @default true when a key is given */
  enableEncryption?: boolean;
  /**
   * Base64 of exactly 32 bytes. Never read from the environment implicitly: pass
   * `process.env.ENCRYPTION_KEY` yourself. @default undefined
   */
  encryptionKey?: string;
  /** Only authenticated encryption is supported. @default 'aes-256-gcm' */
  encryptionAlgorithm?: 'aes-256-gcm';
  /** DEFLATE data sections above the threshold when it saves ≥ 10 %. @default true */
  enableCompression?: boolean;
  /** Bytes. @default 1024 */
  compressionThreshold?: number;
  /** 1-9. @default 6 */
  compressionLevel?: number;
  /**
   * ms the previous key stays valid after `rotateEncryptionKey` (existing sockets and new
   * CONNECTs); then its sockets are asked to reconnect. @default 60000
   */
  keyRotationGracePeriod?: number;
  /** Sliding window per client over all events. @default true */
  enableRateLimiting?: boolean;
  /** ms. @default 60000 */
  rateLimitWindow?: number;
  /** Events per window per client. @default 100 */
  rateLimitMaxRequests?: number;
  /** Beyond it, connections are refused with `ERR_CONN_005`. @default 10000 */
  maxConnections?: number;
  /** Open connections per client address (see `trustProxy`); beyond it `ERR_CONN_005`. @default Infinity */
  maxConnectionsPerAddress?: number;
  /** Take the client address from the first `X-Forwarded-For` entry. @default false */
  trustProxy?: boolean;
  /** ms from transport open to a valid CONNECT; then the transport is closed. @default 5000 */
  handshakeTimeout?: number;
  /**
   * Called with the HTTP request before any upgrade or polling session is created; false (or a
   * throw) answers HTTP 403. @default undefined (every request may proceed)
   */
  allowRequest?: (req: IncomingMessage) => boolean | Promise<boolean>;
  /** Idle ms before the server probes with HEARTBEAT (the CONNECT deadline is `handshakeTimeout`). @default 30000 */
  connectionTimeout?: number;
  /** Client heartbeat interval announced in the CONNECT answer (ms). @default 30000 */
  heartbeatInterval?: number;
  /** ms without HEARTBEAT_ACK after a probe before the socket is dropped; also announced. @default 5000 */
  heartbeatTimeout?: number;
  /** Largest data section in bytes (`ERR_MSG_004` beyond). @default 16777216 */
  maxPayload?: number;
  /** Allowed `Origin` header values; others get HTTP 403. @default undefined (any) */
  allowedOrigins?: string[];
  /** API key(s) a client must send in CONNECT (`ERR_CONN_004` otherwise). @default undefined (none required) */
  apiKey?: string | string[];
  /** Decides whether a handshake is accepted; false or a throw → `ERR_CONN_004`. */
  authenticate?: (handshake: AuthenticateHandshake) => boolean | Promise<boolean>;
  /** Connection state recovery: a dropped socket's session is kept and replayed. @default false */
  enableMessageCache?: boolean;
  /** ms a dropped session is kept. @default 120000 */
  messageCacheTTL?: number;
  /** Messages kept per dropped session; more missed means no recovery. @default 1000 */
  messageCacheSize?: number;
  /** Per-socket bound of outgoing bytes not yet written; volatile emits past it are dropped. @default 1048576 */
  maxBufferedBytes?: number;
  /** `GET {path}/stats`, `GET {path}/metrics` and `GET {path}/dashboard`. @default true */
  enableMetrics?: boolean;
  /** When set, the metrics routes require `Authorization: Bearer <token>` (401 otherwise). @default undefined */
  metricsToken?: string;
  /** Serve the minified browser bundle at `GET {path}/client.js`. @default true */
  serveClient?: boolean;
  /** Default timeout (ms) of server→client acks (`socket.emit(ev, data, ack)`). @default 30000 */
  messageTimeout?: number;
  /** Reconnection base delay (ms) announced to clients that do not set their own. @default undefined */
  reconnectDelay?: number;
  /** Reconnection attempts announced to clients that do not set their own. @default undefined */
  maxReconnectAttempts?: number;
  /**
   * Accepted for compatibility with the original SmartSocket docs; it has no effect, because
   * per-connection state is allocated lazily instead of pooled. @default false
   */
  enableConnectionPooling?: boolean;
  /** Builds each namespace's adapter. @default (nsp) => new InMemoryAdapter(nsp) */
  adapter?: AdapterFactory;
  /** Any object with error/warn/info/debug. @default createLogger('server') */
  logger?: Logger;
}

/** The defaults of {@link SmartSocketOptions}. */
export const serverDefaults = {
  port: 3000,
  host: 'localhost',
  path: DEFAULT_PATH,
  transports: ['websocket', 'polling'] as TransportName[],
  encryptionAlgorithm: 'aes-256-gcm' as const,
  enableCompression: true,
  compressionThreshold: 1024,
  compressionLevel: 6,
  keyRotationGracePeriod: 60_000,
  enableRateLimiting: true,
  rateLimitWindow: 60_000,
  rateLimitMaxRequests: 100,
  maxConnections: 10_000,
  maxConnectionsPerAddress: Number.POSITIVE_INFINITY,
  trustProxy: false,
  handshakeTimeout: 5_000,
  pollingTimeout: 25_000,
  connectionTimeout: 30_000,
  heartbeatInterval: 30_000,
  heartbeatTimeout: 5_000,
  maxPayload: DEFAULT_MAX_PAYLOAD,
  enableMessageCache: false,
  messageCacheTTL: 120_000,
  messageCacheSize: 1000,
  maxBufferedBytes: 1024 * 1024,
  enableMetrics: true,
  serveClient: true,
  messageTimeout: 30_000,
  enableConnectionPooling: false,
};

type Defaulted = keyof typeof serverDefaults;

/** Options after merging with the defaults and validation. */
export type ResolvedOptions = Required<Pick<SmartSocketOptions, Defaulted>> &
  Omit<SmartSocketOptions, Defaulted> & {
    enableEncryption: boolean;
    apiKeys: string[] | undefined;
  };

function fail(option: string, why: string): never {
  throw new SmartSocketError('ERR_CONFIG_001', `Invalid option "${option}": ${why}`);
}

function int(
  o: Record<string, unknown>,
  key: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    fail(key, `expected an integer in [${min}, ${max}], got ${String(v)}`);
}

function bool(o: Record<string, unknown>, key: string): void {
  if (typeof o[key] !== 'boolean') fail(key, `expected a boolean, got ${String(o[key])}`);
}

const KNOWN = new Set<string>([
  ...Object.keys(serverDefaults),
  'server',
  'enableEncryption',
  'encryptionKey',
  'allowedOrigins',
  'apiKey',
  'authenticate',
  'allowRequest',
  'metricsToken',
  'reconnectDelay',
  'maxReconnectAttempts',
  'adapter',
  'logger',
]);

function isKey32(key: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(key) || key.length % 4 !== 0) return false;
  return Buffer.from(key, 'base64').length === 32;
}

/**
 * Merges `user` over {@link serverDefaults} and validates the result.
 * Throws `SmartSocketError` `ERR_CONFIG_001` naming the first bad option.
 */
export function resolveOptions(user: SmartSocketOptions = {}): ResolvedOptions {
  if (typeof user !== 'object' || user === null) fail('options', 'expected an object');
  for (const key of Object.keys(user)) if (!KNOWN.has(key)) fail(key, 'unknown option');
  const defined = Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined));
  const o = { ...serverDefaults, ...defined } as Record<string, unknown> & SmartSocketOptions;
  int(o, 'port', 0, 65535);
  if (typeof o.host !== 'string' || o.host === '') fail('host', 'expected a non-empty string');
  if (typeof o.path !== 'string' || !o.path.startsWith('/'))
    fail('path', 'expected a string starting with "/"');
  if (o.path.length > 1 && o.path.endsWith('/')) o.path = o.path.slice(0, -1);
  if (
    !Array.isArray(o.transports) ||
    o.transports.length === 0 ||
    o.transports.some((t) => t !== 'websocket' && t !== 'polling')
  )
    fail('transports', "expected a non-empty array of 'websocket' | 'polling'");
  if (
    o.server !== undefined &&
    (typeof o.server !== 'object' || typeof o.server.listen !== 'function')
  )
    fail('server', 'expected an http or https server');
  for (const key of [
    'enableCompression',
    'enableRateLimiting',
    'enableMessageCache',
    'enableMetrics',
    'trustProxy',
    'serveClient',
    'enableConnectionPooling',
  ])
    bool(o, key);
  int(o, 'compressionThreshold', 0);
  int(o, 'compressionLevel', 1, 9);
  int(o, 'keyRotationGracePeriod', 0, 2 ** 31 - 1);
  int(o, 'rateLimitWindow', 1);
  int(o, 'rateLimitMaxRequests', 1);
  int(o, 'maxConnections', 0);
  if (o.maxConnectionsPerAddress !== Number.POSITIVE_INFINITY)
    int(o, 'maxConnectionsPerAddress', 1);
  int(o, 'handshakeTimeout', 1, 2 ** 31 - 1);
  int(o, 'pollingTimeout', 1, 2 ** 31 - 1);
  int(o, 'messageTimeout', 1, 2 ** 31 - 1);
  int(o, 'messageCacheSize', 1);
  if (o.reconnectDelay !== undefined) int(o, 'reconnectDelay', 0, 2 ** 31 - 1);
  if (o.maxReconnectAttempts !== undefined && o.maxReconnectAttempts !== Number.POSITIVE_INFINITY)
    int(o, 'maxReconnectAttempts', 0);
  if (o.metricsToken !== undefined && (typeof o.metricsToken !== 'string' || o.metricsToken === ''))
    fail('metricsToken', 'expected a non-empty string');
  int(o, 'connectionTimeout', 1);
  int(o, 'heartbeatInterval', 1);
  int(o, 'heartbeatTimeout', 1);
  int(o, 'maxPayload', 1, 0xffff_ffff);
  int(o, 'messageCacheTTL', 1);
  int(o, 'maxBufferedBytes', 1);
  if (o.encryptionAlgorithm !== 'aes-256-gcm')
    fail(
      'encryptionAlgorithm',
      `only 'aes-256-gcm' is supported: ${String(o.encryptionAlgorithm)} does not authenticate, so a tampered frame would be accepted; remove the option or set 'aes-256-gcm'`,
    );
  const key = o.encryptionKey;
  if (key !== undefined && (typeof key !== 'string' || !isKey32(key)))
    fail('encryptionKey', 'expected base64 of exactly 32 bytes');
  if (o.enableEncryption !== undefined && typeof o.enableEncryption !== 'boolean')
    fail('enableEncryption', 'expected a boolean');
  const enableEncryption = o.enableEncryption ?? key !== undefined;
  if (enableEncryption && key === undefined)
    fail('enableEncryption', 'true requires an encryptionKey');
  if (
    o.allowedOrigins !== undefined &&
    (!Array.isArray(o.allowedOrigins) || o.allowedOrigins.some((s) => typeof s !== 'string'))
  )
    fail('allowedOrigins', 'expected an array of strings');
  let apiKeys: string[] | undefined;
  if (o.apiKey !== undefined) {
    apiKeys = Array.isArray(o.apiKey) ? o.apiKey : [o.apiKey];
    if (apiKeys.length === 0 || apiKeys.some((k) => typeof k !== 'string' || k === ''))
      fail('apiKey', 'expected a non-empty string or array of strings');
  }
  for (const fn of ['authenticate', 'allowRequest', 'adapter'] as const)
    if (o[fn] !== undefined && typeof o[fn] !== 'function') fail(fn, 'expected a function');
  const logger = o.logger as Record<string, unknown> | undefined;
  if (
    logger !== undefined &&
    (typeof logger !== 'object' ||
      logger === null ||
      ['error', 'warn', 'info', 'debug'].some((m) => typeof logger[m] !== 'function'))
  )
    fail('logger', 'expected an object with error/warn/info/debug');
  return {
    ...(o as ResolvedOptions),
    encryptionKey: key,
    enableEncryption,
    apiKeys,
  };
}
