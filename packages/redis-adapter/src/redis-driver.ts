// The few Redis operations the transport needs, over either client library (ioredis or node-redis).

/** What a driver reports to its transport. */
export interface DriverEvents {
  /** A pub/sub message (a view of the received bytes). */
  message(channel: string, bytes: Uint8Array): void;
  /** Readiness of the connections may have changed: re-read `ready`. */
  status(): void;
  /** A connection error (the client reconnects by itself). */
  error(err: unknown): void;
}

/**
 * One publishing and one subscribing connection (or a cluster client for each). `ready` is true
 * when both can be used; commands issued while not ready fail at once instead of queueing.
 * Subscriptions are not restored by the driver: the transport re-sends them when ready again.
 */
export interface RedisDriver {
  readonly ready: boolean;
  publish(channel: string, bytes: Buffer): Promise<unknown>;
  subscribe(channels: readonly string[]): Promise<unknown>;
  unsubscribe(channels: readonly string[]): Promise<unknown>;
  /** Releases the connections the driver opened (never a client the application passed in). */
  close(): Promise<void>;
}

/** How the driver gets its connections. */
export type DriverSource =
  | { kind: 'url'; url: string }
  | { kind: 'client'; client: object }
  | { kind: 'pair'; pubClient: object; subClient: object };

/** True for an ioredis `Redis` or `Cluster` (they expose `status`); node-redis exposes `isReady`. */
export function isIoredis(client: object): boolean {
  return typeof (client as { status?: unknown }).status === 'string';
}

type Emitter = {
  on?: (event: string, fn: (...args: never[]) => void) => unknown;
  off?: (event: string, fn: (...args: never[]) => void) => unknown;
};

/**
 * Attaches `fn` to each of `events` on an EventEmitter-like client; returns the function that
 * detaches them (so a client the application owns does not collect listeners across restarts).
 */
export function onEvents(
  client: object,
  events: readonly string[],
  fn: (...args: never[]) => void,
): () => void {
  const emitter = client as Emitter;
  if (typeof emitter.on !== 'function') return () => {};
  for (const event of events) emitter.on.call(client, event, fn);
  return () => {
    for (const event of events) emitter.off?.call(client, event, fn);
  };
}
