// The primary side of the node:cluster bus: relays each worker's publishes to the subscribed workers.
import cluster, { type Worker } from 'node:cluster';
import { SmartSocketError } from '@smartsocket/protocol';
import { IPC_TAG, type IpcBusMessage, isBusMessage } from './cluster-ipc-message.js';

/** The relay `setupPrimary` installed; `close()` removes it. */
export interface PrimaryRelay {
  /** Channels subscribed by some worker now (for tests and diagnostics). */
  readonly channelCount: number;
  close(): void;
}

/** What the relay needs from `node:cluster` (the module itself by default). */
export interface ClusterLike {
  readonly isPrimary: boolean;
  on(event: 'message', listener: (worker: Worker, message: unknown) => void): unknown;
  on(event: 'exit', listener: (worker: Worker) => void): unknown;
  off(event: 'message', listener: (worker: Worker, message: unknown) => void): unknown;
  off(event: 'exit', listener: (worker: Worker) => void): unknown;
}

/**
 * Call once in the `node:cluster` primary, before or after forking: relays the bus of the
 * workers' {@link createIpcTransport}s. The primary keeps which transport (worker, id)
 * subscribed to which channel and sends each published message once to every other subscribed
 * transport (the publisher delivers to itself). A worker that exits is forgotten with its
 * subscriptions. The primary only routes: it never decodes a message. Connections are
 * distributed by `node:cluster` itself (round robin by default), so a client's requests may land
 * on any worker; polling requests are forwarded to the session's owner over this same bus.
 *
 * Throws `ERR_CONFIG_001` when called in a worker.
 *
 * @example
 * if (cluster.isPrimary) {
 *   setupPrimary();
 *   for (let i = 0; i < availableParallelism(); i++) cluster.fork();
 * } else {
 *   await new SmartSocket({ port: 3000, adapter: createNodeClusterAdapter() }).start();
 * }
 */
export function setupPrimary(nodeCluster: ClusterLike = cluster): PrimaryRelay {
  if (!nodeCluster.isPrimary)
    throw new SmartSocketError('ERR_CONFIG_001', 'setupPrimary must be called in the primary');
  /** channel → subscribed transports, each as `{worker id}:{transport id}` → its worker */
  const channels = new Map<string, Map<string, { worker: Worker; t: number }>>();
  /** `{worker id}:{transport id}` → its channels, so an exit drops them all */
  const byTransport = new Map<string, Set<string>>();

  const drop = (key: string, channel: string): void => {
    const subs = channels.get(channel);
    subs?.delete(key);
    if (subs?.size === 0) channels.delete(channel);
    byTransport.get(key)?.delete(channel);
  };
  const onMessage = (worker: Worker, msg: unknown): void => {
    if (!isBusMessage(msg)) return;
    const key = `${worker.id}:${msg.t}`;
    const list = typeof msg.ch === 'string' ? [msg.ch] : msg.ch;
    if (msg.op === 'sub') {
      let mine = byTransport.get(key);
      if (!mine) byTransport.set(key, (mine = new Set()));
      for (const channel of list) {
        if (typeof channel !== 'string') continue;
        let subs = channels.get(channel);
        if (!subs) channels.set(channel, (subs = new Map()));
        subs.set(key, { worker, t: msg.t });
        mine.add(channel);
      }
    } else if (msg.op === 'unsub') {
      for (const channel of list) if (typeof channel === 'string') drop(key, channel);
    } else if (msg.op === 'pub' && typeof msg.ch === 'string' && typeof msg.b === 'string') {
      const subs = channels.get(msg.ch);
      if (!subs) return;
      for (const [to, { worker: target, t }] of subs) {
        if (to === key || !target.isConnected()) continue;
        const out: IpcBusMessage = { tag: IPC_TAG, op: 'msg', t, ch: msg.ch, b: msg.b };
        target.send(out);
      }
    }
  };
  const onExit = (worker: Worker): void => {
    const prefix = `${worker.id}:`;
    for (const [key, mine] of byTransport) {
      if (!key.startsWith(prefix)) continue;
      for (const channel of [...mine]) drop(key, channel);
      byTransport.delete(key);
    }
  };
  nodeCluster.on('message', onMessage);
  nodeCluster.on('exit', onExit);
  return {
    get channelCount() {
      return channels.size;
    },
    close() {
      nodeCluster.off('message', onMessage);
      nodeCluster.off('exit', onExit);
      channels.clear();
      byTransport.clear();
    },
  };
}
