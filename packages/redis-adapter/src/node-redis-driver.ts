// The Redis driver over node-redis (`redis`): a client, or for sharded pub/sub a cluster.
import { bySlot } from './key-slot.js';
import { type DriverEvents, onEvents, type RedisDriver } from './redis-driver.js';

type Listener = (message: Buffer, channel: Buffer) => void;

/** The part of a node-redis client or cluster the driver uses. */
interface NodeClient {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  duplicate(overrides?: object): NodeClient;
  publish(channel: string, message: Buffer): Promise<unknown>;
  sPublish(channel: string, message: Buffer): Promise<unknown>;
  subscribe(channels: string[], listener: Listener, bufferMode: true): Promise<void>;
  unsubscribe(channels: string[], listener: Listener, bufferMode: true): Promise<void>;
  sSubscribe(channels: string[], listener: Listener, bufferMode: true): Promise<void>;
  sUnsubscribe(channels: string[], listener: Listener, bufferMode: true): Promise<void>;
  close?(): Promise<void>;
  quit?(): Promise<unknown>;
  destroy?(): void;
  disconnect?(): Promise<void>;
}

const STATUS_EVENTS = ['ready', 'end', 'reconnecting', 'connect', 'disconnect', 'node-ready'];

function isCluster(client: NodeClient): boolean {
  return typeof (client as { getSlotMaster?: unknown }).getSlotMaster === 'function';
}

/** Creates (and starts connecting) a node-redis client for `url`, a cluster when `sharded`. */
export async function nodeRedisFromUrl(url: string, sharded: boolean): Promise<object> {
  const lib = await import('redis');
  return sharded
    ? lib.createCluster({ rootNodes: [{ url }], defaults: { disableOfflineQueue: true } })
    : lib.createClient({ url, disableOfflineQueue: true });
}

/** Closes gracefully (pending publishes such as the goodbye go out), forcibly after 1 s. */
async function shutDown(client: NodeClient): Promise<void> {
  const graceful = client.close?.() ?? client.quit?.();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), 1000);
  });
  const outcome = await Promise.race([Promise.resolve(graceful).catch(() => 'failed'), late]);
  clearTimeout(timer);
  if (outcome === 'late' || outcome === 'failed' || client.isOpen) {
    if (typeof client.destroy === 'function') client.destroy();
    else await client.disconnect?.().catch(() => {});
  }
}

/**
 * A driver over node-redis. `pub` publishes; `sub` (a duplicate of `pub` unless given; the
 * cluster itself for a cluster, which keeps its own pub/sub connections) subscribes. Clients
 * this driver created are connected here and closed by `close()`.
 *
 * @example
 * const driver = nodeRedisDriver(createClient({ url }), undefined, false, events, true);
 */
export function nodeRedisDriver(
  pubClient: object,
  subClient: object | undefined,
  sharded: boolean,
  events: DriverEvents,
  ownsPub: boolean,
): RedisDriver {
  const pub = pubClient as NodeClient;
  const ownsSub = subClient === undefined && !isCluster(pub);
  const sub = (subClient ??
    (isCluster(pub) ? pub : pub.duplicate({ disableOfflineQueue: true }))) as NodeClient;
  const owned = [...new Set([...(ownsPub ? [pub] : []), ...(ownsSub ? [sub] : [])])];
  // Listeners on clients the application owns are removed on close (they would pile up across
  // restarts); ones on our own clients stay, so a late 'error' never goes unhandled.
  const detach: Array<() => void> = [];
  const attach = (client: object, names: readonly string[], fn: (...args: never[]) => void) => {
    const off = onEvents(client, names, fn);
    if (!(owned as object[]).includes(client)) detach.push(off);
  };
  for (const client of new Set([pub, sub])) {
    attach(client, STATUS_EVENTS, () => events.status());
    // node-redis throws an 'error' nobody listens to: a server must never crash on a Redis outage.
    attach(client, ['error'], (err: never) => events.error(err));
  }
  for (const client of owned) {
    if (!client.isOpen) client.connect().catch((err) => events.error(err));
  }
  const listener: Listener = (message, channel) => events.message(channel.toString(), message);

  return {
    get ready() {
      return pub.isReady && sub.isReady;
    },
    publish: (channel, bytes) =>
      sharded ? pub.sPublish(channel, bytes) : pub.publish(channel, bytes),
    subscribe: (channels) =>
      sharded
        ? Promise.all(bySlot(channels).map((g) => sub.sSubscribe(g, listener, true)))
        : sub.subscribe([...channels], listener, true),
    unsubscribe: (channels) =>
      sharded
        ? Promise.all(bySlot(channels).map((g) => sub.sUnsubscribe(g, listener, true)))
        : sub.unsubscribe([...channels], listener, true),
    async close() {
      for (const off of detach) off();
      await Promise.all(owned.map(shutDown));
    },
  };
}
