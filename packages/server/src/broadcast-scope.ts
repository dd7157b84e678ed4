// What a broadcast operator needs from a namespace (an interface, so the operator does not import it).
import type { Adapter } from './adapter.js';
import type { RemoteSocketScope } from './remote-socket.js';

/**
 * One namespace as a broadcast sees it: its name, its adapter (which finds the recipients) and
 * its local sockets by id; `S` is the socket type `fetchSockets()` returns for local sockets.
 *
 * @example
 * const scope: BroadcastScope<Socket> = server.of('/chat');
 */
export interface BroadcastScope<S = unknown> extends RemoteSocketScope {
  readonly name: string;
  readonly adapter: Adapter;
  readonly sockets: ReadonlyMap<string, S>;
  /** Where a failing broadcast-ack callback is reported. */
  _reportError(err: unknown): void;
  /** The ack timeout of a broadcast without `.timeout(ms)`. */
  readonly _messageTimeout: number;
}
