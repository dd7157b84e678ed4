// The publish/subscribe seam of the cluster adapter, and an in-process bus for tests and examples.

/**
 * What the cluster adapter needs from a message bus (Redis pub/sub, NATS, an in-process bus…).
 * Messages are opaque bytes; delivery is at most once, in publish order per publisher, to every
 * subscriber of the channel, the publisher's own subscription included (the adapter ignores its
 * own messages). One handler per channel per transport: subscribing again replaces it.
 *
 * @example
 * const transport: ClusterTransport = {
 *   publish: (channel, bytes) => redis.publish(channel, Buffer.from(bytes)),
 *   subscribe: (channel, handler) => sub.subscribe(channel, (msg) => handler(msg)),
 *   unsubscribe: (channel) => sub.unsubscribe(channel),
 *   close: () => Promise.all([redis.quit(), sub.quit()]).then(() => {}),
 * };
 */
export interface ClusterTransport {
  publish(channel: string, bytes: Uint8Array): void | Promise<void>;
  subscribe(channel: string, handler: (bytes: Uint8Array) => void): void | Promise<void>;
  unsubscribe?(channel: string): void | Promise<void>;
  close(): void | Promise<void>;
}

/**
 * Creates an in-memory pub/sub shared by every transport the returned factory makes: one
 * transport per server, several servers in one process act as a cluster. Messages are delivered
 * asynchronously (each in its own microtask, in publish order) and as a copy, like a network.
 * Publishing on a closed transport throws; a closed transport receives nothing.
 *
 * @example
 * const bus = createInProcessBus();
 * const a = new SmartSocket({ port: 0, adapter: createClusterAdapter(bus()) });
 * const b = new SmartSocket({ port: 0, adapter: createClusterAdapter(bus()) });
 */
export function createInProcessBus(): () => ClusterTransport {
  // channel → (transport → handler)
  const channels = new Map<string, Map<object, (bytes: Uint8Array) => void>>();

  return () => {
    const subscribed = new Set<string>();
    let closed = false;
    const self = {};

    const unsubscribe = (channel: string): void => {
      subscribed.delete(channel);
      const subs = channels.get(channel);
      subs?.delete(self);
      if (subs?.size === 0) channels.delete(channel);
    };

    return {
      publish(channel, bytes) {
        if (closed) throw new Error('in-process bus: transport is closed');
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
      subscribe(channel, handler) {
        if (closed) throw new Error('in-process bus: transport is closed');
        let subs = channels.get(channel);
        if (!subs) channels.set(channel, (subs = new Map()));
        subs.set(self, handler);
        subscribed.add(channel);
      },
      unsubscribe,
      close() {
        closed = true;
        for (const channel of [...subscribed]) unsubscribe(channel);
      },
    };
  };
}
