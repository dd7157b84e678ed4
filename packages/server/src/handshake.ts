// What a socket's CONNECT handshake carried, as seen by `authenticate`, middleware and handlers.

/** Compression and binary capabilities a peer announced in its CONNECT. */
export interface PeerCaps {
  /** Compression algorithms the peer accepts, e.g. `['deflate']`. */
  compression: string[];
  /** Whether the peer decodes binary attachments. */
  binary: boolean;
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
