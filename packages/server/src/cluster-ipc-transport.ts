// The worker side of the node:cluster bus: a ClusterTransport over IPC through the primary.
import { SmartSocketError } from '@smartsocket/protocol';
import { type ChannelList, type ClusterTransport, channelList } from './cluster-bus.js';
import { IPC_TAG, type IpcBusMessage, isBusMessage } from './cluster-ipc-message.js';

let lastTransportId = 0;

/** The IPC end a transport uses (the worker's `process`; replaceable in tests). */
export interface IpcEndpoint {
  send?(message: unknown): boolean;
  readonly connected?: boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'disconnect', listener: () => void): unknown;
}

/**
 * A {@link ClusterTransport} for a `node:cluster` worker: subscriptions and publishes go over
 * IPC to the primary, which relays each message to the workers subscribed to its channel (see
 * `setupPrimary`). A message for a channel this transport subscribed to itself is delivered
 * here directly, without the round trip. No Redis, no network: one machine, one worker per core.
 * `connected` is false once the worker's IPC channel is gone (the primary exited).
 *
 * Throws `ERR_CONFIG_001` outside a process with an IPC channel (not a worker).
 *
 * @example
 * // in each worker
 * const server = new SmartSocket({ port: 3000, adapter: createClusterAdapter(createIpcTransport()) });
 */
export function createIpcTransport(ipc: IpcEndpoint = process): ClusterTransport {
  if (typeof ipc.send !== 'function')
    throw new SmartSocketError(
      'ERR_CONFIG_001',
      'createIpcTransport needs an IPC channel: call it in a node:cluster worker',
    );
  const id = ++lastTransportId;
  const handlers = new Map<string, (bytes: Uint8Array) => void>();
  const listeners = new Set<(up: boolean) => void>();
  let attached = false;

  const send = (op: IpcBusMessage['op'], ch: string | string[], b?: string): void => {
    if (!ipc.connected) throw new SmartSocketError('ERR_CLUSTER_001', 'IPC channel closed');
    const message: IpcBusMessage = { tag: IPC_TAG, op, t: id, ch };
    if (b !== undefined) message.b = b;
    ipc.send!(message);
  };
  const onMessage = (msg: unknown): void => {
    if (!isBusMessage(msg) || msg.op !== 'msg' || msg.t !== id || typeof msg.ch !== 'string')
      return;
    const handler = handlers.get(msg.ch);
    if (handler && typeof msg.b === 'string') handler(Buffer.from(msg.b, 'base64'));
  };
  const onDisconnect = (): void => {
    for (const listener of [...listeners]) listener(false);
  };
  const attach = (): void => {
    if (attached) return;
    attached = true;
    ipc.on('message', onMessage);
    ipc.on('disconnect', onDisconnect);
  };

  return {
    get connected() {
      return ipc.connected !== false;
    },
    onConnectionChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(channel, bytes) {
      const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
      send('pub', channel, b);
      const own = handlers.get(channel);
      // Our own subscription gets it too (the contract), as a copy, after this turn.
      if (own) {
        const copy = new Uint8Array(bytes);
        queueMicrotask(() => handlers.get(channel)?.(copy));
      }
    },
    subscribe(channels: ChannelList, handler) {
      attach();
      const list = channelList(channels);
      for (const channel of list) handlers.set(channel, handler);
      send('sub', [...list]);
    },
    unsubscribe(channels: ChannelList) {
      const list = channelList(channels);
      for (const channel of list) handlers.delete(channel);
      if (attached && ipc.connected) send('unsub', [...list]);
    },
    close() {
      if (!attached) return;
      if (handlers.size > 0 && ipc.connected) send('unsub', [...handlers.keys()]);
      handlers.clear();
      attached = false;
      ipc.off('message', onMessage);
      ipc.off('disconnect', onDisconnect);
    },
  };
}
