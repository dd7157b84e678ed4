// The publish/subscribe seam of the cluster adapter, and an in-process bus for tests and examples.

/** One channel name, or several subscribed/unsubscribed in one batch (one backend call). */
export type ChannelList = string | readonly string[];

/**
 * What the cluster adapter needs from a message bus (Redis pub/sub, NATS, an in-process bus…).
 * Messages are opaque bytes; delivery is at most once, in publish order per publisher, to every
 * subscriber of the channel, the publisher's own subscription included (the adapter ignores its
 * own messages). One handler per channel per transport: subscribing again replaces it.
 * `subscribe`/`unsubscribe` take a batch so room churn costs one backend call per batch.
 *
 * Connectivity (optional): `connected` is false while the backend is unreachable, and
 * `onConnectionChange` reports each change; a transport restores its subscriptions by itself
 * when the backend comes back. A transport without them counts as always connected.
 *
 * After `close()`, a `subscribe()` opens it again (a server restarted after `stop()` rejoins).
 *
 * @example
 * const transport: ClusterTransport = {
 *   publish: (channel, bytes) => redis.publish(channel, Buffer.from(bytes)),
 *   subscribe: (channels, handler) => sub.subscribe(channels, (msg) => handler(msg)),
 *   unsubscribe: (channels) => sub.unsubscribe(channels),
 *   close: () => Promise.all([redis.quit(), sub.quit()]).then(() => {}),
 * };
 */
export interface ClusterTransport {
  publish(channel: string, bytes: Uint8Array): void | Promise<void>;
  subscribe(channels: ChannelList, handler: (bytes: Uint8Array) => void): void | Promise<void>;
  unsubscribe?(channels: ChannelList): void | Promise<void>;
  close(): void | Promise<void>;
  /** False while the backend is unreachable (publishes fail, nothing arrives). */
  readonly connected?: boolean;
  /** Calls `listener(up)` on every connectivity change; returns the function that removes it. */
  onConnectionChange?(listener: (up: boolean) => void): () => void;
}

/** `channels` as an array. */
export function channelList(channels: ChannelList): readonly string[] {
  return typeof channels === 'string' ? [channels] : channels;
}

/** The in-process transport: a {@link ClusterTransport} plus a switch to simulate an outage. */
export interface InProcessTransport extends ClusterTransport {
  readonly connected: boolean;
  onConnectionChange(listener: (up: boolean) => void): () => void;
  /** Simulates losing (`false`) and regaining (`true`) the bus. */
  setConnected(up: boolean): void;
}

/**
 * Creates an in-memory pub/sub shared by every transport the returned factory makes: one
 * transport per server, several servers in one process act as a cluster. Messages are delivered
 * asynchronously (each in its own microtask, in publish order) and as a copy, like a network.
 * Publishing on a closed or disconnected transport throws; such a transport receives nothing.
 * A closed transport opens again on the next `subscribe()`.
 *
 * @example
 * const bus = createInProcessBus();
 * const a = new SmartSocket({ port: 0, adapter: createClusterAdapter(bus()) });
 * const b = new SmartSocket({ port: 0, adapter: createClusterAdapter(bus()) });
 */
export function createInProcessBus(): () => InProcessTransport {
  // channel → (transport → handler)
  const channels = new Map<string, Map<object, (bytes: Uint8Array) => void>>();

  return () => {
    const subscribed = new Map<string, (bytes: Uint8Array) => void>();
    const listeners = new Set<(up: boolean) => void>();
    let closed = false;
    let up = true;
    const self = {};

    const detach = (channel: string): void => {
      const subs = channels.get(channel);
      subs?.delete(self);
      if (subs?.size === 0) channels.delete(channel);
    };
    const attach = (channel: string, handler: (bytes: Uint8Array) => void): void => {
      let subs = channels.get(channel);
      if (!subs) channels.set(channel, (subs = new Map()));
      subs.set(self, handler);
    };

    return {
      get connected() {
        return up;
      },
      publish(channel, bytes) {
        if (closed) throw new Error('in-process bus: transport is closed');
        if (!up) throw new Error('in-process bus: disconnected');
        const subs = channels.get(channel);
        if (!subs) return;
        const copy = bytes.slice();
        for (const [receiver, handler] of subs) {
          queueMicrotask(() => {
            // Skip subscribers that left (or closed) before delivery.
            if (channels.get(channel)?.get(receiver) === handler) handler(copy);
          });
        }
      },
      subscribe(list, handler) {
        closed = false;
        for (const channel of channelList(list)) {
          subscribed.set(channel, handler);
          if (up) attach(channel, handler);
        }
      },
      unsubscribe(list) {
        for (const channel of channelList(list)) {
          subscribed.delete(channel);
          detach(channel);
        }
      },
      close() {
        closed = true;
        for (const channel of subscribed.keys()) detach(channel);
        subscribed.clear();
      },
      onConnectionChange(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      setConnected(next) {
        if (next === up) return;
        up = next;
        // Like a real backend: nothing arrives while down, subscriptions come back with it.
        for (const [channel, handler] of subscribed) {
          if (up && !closed) attach(channel, handler);
          else detach(channel);
        }
        for (const listener of [...listeners]) listener(up);
      },
    };
  };
}
