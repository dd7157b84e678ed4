// The Redis driver over ioredis (`Redis` or, for sharded pub/sub, `Cluster`): the default library.
import { bySlot } from './key-slot.js';
import { type DriverEvents, onEvents, type RedisDriver } from './redis-driver.js';

/** The part of an ioredis `Redis`/`Cluster` the driver uses. */
interface IoClient {
  status: string;
  duplicate(...args: unknown[]): IoClient;
  publish(channel: string, message: Buffer): Promise<unknown>;
  spublish(channel: string, message: Buffer): Promise<unknown>;
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  ssubscribe(...channels: string[]): Promise<unknown>;
  sunsubscribe(...channels: string[]): Promise<unknown>;
  disconnect(): void;
  quit(): Promise<unknown>;
  on(event: string, fn: (...args: never[]) => void): unknown;
}

// Commands fail at once while disconnected (no publishes piling up in memory), and the
// transport, not ioredis, restores subscriptions (one batch, also for ones sent while down).
const SUBSCRIBER_OPTIONS = { enableOfflineQueue: false, autoResubscribe: false };
const PUBLISHER_OPTIONS = { enableOfflineQueue: false };
const STATUS_EVENTS = ['ready', 'close', 'end', 'reconnecting', 'connect'];

/** Creates the ioredis clients for `url` (a `Cluster` seeded with it when `sharded`). */
export async function ioredisFromUrl(url: string, sharded: boolean): Promise<object> {
  const lib = await import('ioredis');
  if (!sharded) return new lib.Redis(url, PUBLISHER_OPTIONS);
  const { hostname, port } = new URL(url);
  return new lib.Cluster([{ host: hostname, port: Number(port || 6379) }], {
    enableOfflineQueue: false,
    shardedSubscribers: true,
  });
}

/** Closes gracefully (pending publishes such as the goodbye go out), forcibly after 1 s. */
async function shutDown(client: IoClient): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  await Promise.race([client.quit().catch(() => {}), late]);
  clearTimeout(timer);
  if ((client.status as string) !== 'end') client.disconnect();
}

function isCluster(client: IoClient): boolean {
  return typeof (client as { nodes?: unknown }).nodes === 'function';
}

/**
 * A driver over ioredis. `pub` publishes; `sub` (a duplicate of `pub` unless given) subscribes.
 * `owned` lists the clients this driver opened and so closes.
 *
 * @example
 * const driver = ioredisDriver(new Redis(url), undefined, false, events, true);
 */
export function ioredisDriver(
  pubClient: object,
  subClient: object | undefined,
  sharded: boolean,
  events: DriverEvents,
  ownsPub: boolean,
): RedisDriver {
  const pub = pubClient as IoClient;
  const sub = (subClient ??
    (isCluster(pub)
      ? pub.duplicate([], { ...SUBSCRIBER_OPTIONS, shardedSubscribers: sharded })
      : pub.duplicate(SUBSCRIBER_OPTIONS))) as IoClient;
  const owned = [...(ownsPub ? [pub] : []), ...(subClient ? [] : [sub])];
  // Listeners on clients the application owns are removed on close (they would pile up across
  // restarts); ones on our own clients stay, so a late 'error' never goes unhandled.
  const detach: Array<() => void> = [];
  const attach = (client: object, names: readonly string[], fn: (...args: never[]) => void) => {
    const off = onEvents(client, names, fn);
    if (!(owned as object[]).includes(client)) detach.push(off);
  };
  for (const client of [pub, sub]) {
    attach(client, STATUS_EVENTS, () => events.status());
    attach(client, ['error'], (err: never) => events.error(err));
  }
  const onMessage = (channel: Buffer, message: Buffer): void =>
    events.message(channel.toString(), message);
  attach(sub, [sharded ? 'smessageBuffer' : 'messageBuffer'], onMessage as never);

  return {
    get ready() {
      return pub.status === 'ready' && sub.status === 'ready';
    },
    publish: (channel, bytes) =>
      sharded ? pub.spublish(channel, bytes) : pub.publish(channel, bytes),
    subscribe: (channels) =>
      sharded
        ? Promise.all(bySlot(channels).map((group) => sub.ssubscribe(...group)))
        : sub.subscribe(...channels),
    unsubscribe: (channels) =>
      sharded
        ? Promise.all(bySlot(channels).map((group) => sub.sunsubscribe(...group)))
        : sub.unsubscribe(...channels),
    async close() {
      for (const off of detach) off();
      await Promise.all(owned.map(shutDown));
    },
  };
}
