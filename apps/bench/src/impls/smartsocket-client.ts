// SmartSocket client adapter, written against the public API of `@smartsocket/client`.
import { WebSocket } from 'ws';
import { BENCH_KEY, type BenchClient, type ConnectOptions, HOST, type Variant } from './types.js';

/** The slice of the client API the bench uses. */
interface SpecClient {
  connect(): Promise<void>;
  disconnect(): void;
  emit(event: string, data?: unknown): void;
  on(event: string, handler: (data: any) => void): unknown;
  off(event: string, handler?: (data: any) => void): unknown;
}
type SpecClientCtor = new (url: string, options: Record<string, unknown>) => SpecClient;

const CLIENT_PACKAGE = '@smartsocket/client';
let ctor: SpecClientCtor | undefined;

/** Connects one SmartSocket client (WebSocket, or polling in that variant), no reconnection; resolves once CONNECT is answered. */
export async function connectSmartSocketClient(
  port: number,
  variant: Variant,
  opts: ConnectOptions = {},
): Promise<BenchClient> {
  ctor ??= ((await import(CLIENT_PACKAGE)) as { SmartSocketClient: SpecClientCtor })
    .SmartSocketClient;
  const client = new ctor(`ws://${HOST}:${port}`, {
    transports: [variant.polling ? 'polling' : 'websocket'],
    maxReconnectAttempts: 0,
    ...(variant.encryption ? { enableEncryption: true, encryptionKey: BENCH_KEY } : {}),
    ...(opts.localAddress ? { WebSocket: boundWebSocket(opts.localAddress) } : {}),
  });
  client.on('error', () => {});
  await client.connect();
  return {
    emit: (event, data) => client.emit(event, data),
    on: (event, handler) => {
      client.off(event);
      client.on(event, handler);
    },
    close: () => client.disconnect(),
    stall: () => {
      // Bench only: the client's live WebSocket's TCP socket stops reading (private fields).
      const internals = client as unknown as {
        conn?: { opts?: { transport?: { ws?: { _socket?: { pause(): void } } } } };
      };
      internals.conn?.opts?.transport?.ws?._socket?.pause();
    },
  };
}

type UrlWebSocket = new (url: string | URL, protocols?: string | string[]) => WebSocket;
const bound = new Map<string, UrlWebSocket>();

/**
 * The client's `WebSocket` option only takes a constructor `(url, protocols)`, so the source
 * address goes in through a `ws` subclass (one per address, shared by its connections).
 */
function boundWebSocket(localAddress: string): UrlWebSocket {
  const known = bound.get(localAddress);
  if (known) return known;
  const ctor = class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { localAddress });
    }
  };
  bound.set(localAddress, ctor);
  return ctor;
}
