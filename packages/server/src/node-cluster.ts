// @smartsocket/server/cluster — one machine, several cores: the cluster adapter over node:cluster IPC.
import type { AdapterFactory } from './adapter.js';
import { createClusterAdapter } from './cluster-adapter.js';
import type { ClusterAdapterOptions } from './cluster-adapter-options.js';
import { createIpcTransport } from './cluster-ipc-transport.js';

export { type ClusterLike, type PrimaryRelay, setupPrimary } from './cluster-ipc-primary.js';
export { createIpcTransport, type IpcEndpoint } from './cluster-ipc-transport.js';

/**
 * The `adapter` server option for a `node:cluster` worker: the {@link ClusterAdapter} of every
 * namespace on an IPC transport through the primary (which must run `setupPrimary()`). Every
 * cross-server operation works across the workers as over Redis, and polling needs no sticky
 * sessions. Options are those of the cluster adapter.
 *
 * @example
 * import cluster from 'node:cluster';
 * import { SmartSocket } from '@smartsocket/server';
 * import { createNodeClusterAdapter, setupPrimary } from '@smartsocket/server/cluster';
 *
 * if (cluster.isPrimary) {
 *   setupPrimary();
 *   cluster.fork();
 *   cluster.fork();
 * } else {
 *   await new SmartSocket({ port: 3000, adapter: createNodeClusterAdapter() }).start();
 * }
 */
export function createNodeClusterAdapter(options: ClusterAdapterOptions = {}): AdapterFactory {
  return createClusterAdapter(createIpcTransport(), options);
}
