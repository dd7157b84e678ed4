// The one interface every implementation under test provides, for the server child and the load child.

/** Implementations compared. `ws-once` is raw ws sending one prebuilt Buffer per broadcast. */
export type ImplId = 'smartsocket' | 'socket.io' | 'ws' | 'ws-once';

export const IMPL_IDS: readonly ImplId[] = ['smartsocket', 'socket.io', 'ws', 'ws-once'];

export const IMPL_LABELS: Record<ImplId, string> = {
  smartsocket: 'SmartSocket',
  'socket.io': 'Socket.IO',
  ws: 'ws',
  'ws-once': 'ws (frame once)',
};

/** Counters the server adapter updates; read by the server child. */
export interface ServerHooks {
  onConnection(): void;
  onDisconnect(): void;
  onEcho(): void;
}

/** A running server under test. Every adapter answers event `echo` to its sender and can broadcast. */
export interface BenchServer {
  readonly port: number;
  /** Sends `{ event, data }` to every connected client (of every server, with `redisUrl`). */
  broadcast(event: string, data: unknown): void;
  /** Sends `{ event, data }` to the clients in `room` (on every server, with `redisUrl`). */
  broadcastTo?(room: string, event: string, data: unknown): void;
  /** Makes every client connected to THIS server join `room`; resolves when it is effective. */
  joinLocal?(room: string): Promise<void>;
  close(): Promise<void>;
}

/** Per-scenario server/client settings. */
export interface Variant {
  /** Per-message compression of payloads over 1024 bytes (SmartSocket: its own DEFLATE; others: permessage-deflate). */
  compression: boolean;
  /** SmartSocket only: AES-256-GCM sealing of every payload (the others have no equivalent and run plain). */
  encryption?: boolean;
  /** SmartSocket and Socket.IO: servers share this Redis (their own Redis adapters). */
  redisUrl?: string;
  /** HTTP long-polling only (SmartSocket and Socket.IO: `transports: ['polling']`). */
  polling?: boolean;
  /** SmartSocket only: `enableMessageCache` (lossless reconnection) on. */
  recovery?: boolean;
  /** SmartSocket only: a `node:cluster` worker (the cluster adapter over IPC through the primary). */
  nodeCluster?: boolean;
}

export const PLAIN: Variant = { compression: false };

/** Bench-only key (base64 of 32 bytes) for the encrypted scenario. */
export const BENCH_KEY = Buffer.alloc(32, 7).toString('base64');

export type ServerFactory = (hooks: ServerHooks, variant: Variant) => Promise<BenchServer>;

/** A connected client in the load generator. */
export interface BenchClient {
  emit(event: string, data: unknown): void;
  /** One handler per event (a later call replaces it). */
  on(event: string, handler: (data: any) => void): void;
  close(): void;
  /** Stops reading from the network (a stalled client); only where the adapter can. */
  stall?(): void;
}

/** Per-connection settings of the load side (not of the implementation under test). */
export interface ConnectOptions {
  /** Source address of the TCP connection (a loopback `127.0.0.x`), so one address's ephemeral ports do not run out. */
  localAddress?: string;
}

export type ClientFactory = (
  port: number,
  variant: Variant,
  opts?: ConnectOptions,
) => Promise<BenchClient>;

/** Event names shared by all adapters and scenarios. */
export const EVENTS = { echo: 'echo', broadcast: 'bcast' } as const;

/** Host everything binds and connects to. */
export const HOST = '127.0.0.1';
