// What a socket's CONNECT handshake carried, as seen by `authenticate`, middleware and handlers.

/** Compression and binary capabilities a peer announced in its CONNECT. */
export interface PeerCaps {
  /** Compression algorithms the peer accepts, e.g. `['deflate']`. */
  compression: string[];
  /** Whether the peer decodes binary attachments. */
  binary: boolean;
  /**
   * Whether the session is sequenced (the peer announced `seq` and the server has
   * `enableMessageCache`): positions, sequence numbers and recovery.
   */
  seq?: boolean;
}

/**
 * The handshake of one socket. Plain data (JSON-serialisable), so it can cross the cluster in
 * `fetchSockets()` answers.
 */
export interface Handshake {
  /** The `apiKey` the client sent, if any. */
  apiKey?: string;
  /** The `auth` object the client sent, if any. */
  auth?: unknown;
  /** HTTP headers of the upgrade request. */
  headers: Record<string, string | string[] | undefined>;
  /** Remote IP address. */
  address: string;
  /** Namespace the client asked for. */
  namespace: string;
  /** Request URL (path and query). */
  url: string;
  /** Epoch ms when the handshake completed. */
  issued: number;
  /** Capabilities announced by the client. */
  caps: PeerCaps;
}

/** Request headers whose values repeat across clients (never credentials or per-client keys). */
const SHARED_VALUE_HEADERS = [
  'host',
  'connection',
  'upgrade',
  'origin',
  'user-agent',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'pragma',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
] as const;
const MAX_SHARED_VALUES = 256;
const sharedValues = new Map<string, string>();

/**
 * Replaces the values of {@link SHARED_VALUE_HEADERS} in `headers` (in place, same keys and
 * values) with one shared string per distinct value, so thousands of connections from the same
 * kind of client do not each hold their own copy of `Upgrade`, `websocket`, `13`, … The table is
 * bounded: it starts afresh once it holds 256 values.
 */
export function shareHeaderValues(headers: Record<string, string | string[] | undefined>): void {
  for (const name of SHARED_VALUE_HEADERS) {
    const value = headers[name];
    if (typeof value !== 'string' || value.length > 256) continue;
    const shared = sharedValues.get(value);
    if (shared !== undefined) headers[name] = shared;
    else {
      if (sharedValues.size >= MAX_SHARED_VALUES) sharedValues.clear();
      sharedValues.set(value, value);
    }
  }
}
