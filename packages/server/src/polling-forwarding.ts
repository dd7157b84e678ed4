// What forwarding a polling request to its session's owner needs from a cluster adapter.

/** A polling request as it crosses the bus to the session's owner. */
export interface ForwardedRequest {
  method: 'GET' | 'POST';
  /** The session token (the owner looks it up; it is never trusted anywhere else). */
  token: string;
  /** The request's `Content-Type` (POST only). */
  contentType?: string;
  /** The POST body, already bounded by the forwarding node (empty for a GET). */
  body: Uint8Array;
}

/** The owner's answer, written back by the forwarding node with its own CORS headers. */
export interface ForwardedAnswer {
  status: number;
  contentType?: string;
  body: Uint8Array;
}

/** Serves a request forwarded to this node; `signal` aborts when the asker's client went away. */
export type ForwardedHandler = (
  request: ForwardedRequest,
  signal: AbortSignal,
) => Promise<ForwardedAnswer>;

/**
 * A cluster adapter that can route polling requests between nodes (the default namespace's
 * adapter of every node of the cluster, so the node id in a token names where to go).
 *
 * @example
 * if (isPollingRouter(adapter)) adapter.servePolling((req, signal) => endpoint.serve(req, signal));
 */
export interface PollingRouter {
  /** This node's id, the prefix of the tokens of the sessions it owns. */
  readonly nodeId: string;
  /** Whether `node` is a live node of the cluster (heard from within the heartbeat timeout). */
  knows(node: string): boolean;
  /**
   * Sends `request` to `node` and resolves with its answer; rejects with `ERR_CLUSTER_001` when
   * the bus is down, the node left, or no answer came within `timeout` ms. Aborting `signal`
   * tells the owner to let go of the request (a held GET is released, its frames kept).
   */
  forwardPolling(
    node: string,
    request: ForwardedRequest,
    timeout: number,
    signal: AbortSignal,
  ): Promise<ForwardedAnswer>;
  /** Installs the handler of the requests other nodes forward to this one. */
  servePolling(handler: ForwardedHandler | undefined): void;
}

/** Whether `adapter` can forward polling requests (a cluster adapter). */
export function isPollingRouter(adapter: unknown): adapter is PollingRouter {
  const a = adapter as Partial<PollingRouter> | undefined;
  return typeof a?.forwardPolling === 'function' && typeof a.servePolling === 'function';
}
