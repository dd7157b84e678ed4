// SmartSocket client adapter, written against the SPEC §4 API (`@smartsocket/client`).
import { BENCH_KEY, type BenchClient, HOST, type Variant } from './types.js';

/** The slice of the SPEC §4 client API the bench uses. */
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
): Promise<BenchClient> {
  ctor ??= ((await import(CLIENT_PACKAGE)) as { SmartSocketClient: SpecClientCtor })
    .SmartSocketClient;
  const client = new ctor(`ws://${HOST}:${port}`, {
    transports: [variant.polling ? 'polling' : 'websocket'],
    maxReconnectAttempts: 0,
    ...(variant.encryption ? { enableEncryption: true, encryptionKey: BENCH_KEY } : {}),
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
