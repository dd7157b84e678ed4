// ClusterTransport over Redis pub/sub: lazy connections, batched subscriptions, outage handling.
import type { Logger } from '@smartsocket/logger';
import { SmartSocketError } from '@smartsocket/protocol';
import { type ChannelList, type ClusterTransport, rateLimitedError } from '@smartsocket/server';
import { ioredisDriver, ioredisFromUrl } from './ioredis-driver.js';
import { nodeRedisDriver, nodeRedisFromUrl } from './node-redis-driver.js';
import { type DriverSource, isIoredis, type RedisDriver } from './redis-driver.js';

/** Which client library `{ url }` uses. */
export type RedisLibrary = 'ioredis' | 'redis';

/** Options of {@link RedisTransport}. */
export interface RedisTransportOptions {
  source: DriverSource;
  /** Sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`) on a Redis Cluster. */
  sharded: boolean;
  library: RedisLibrary;
  logger: Logger;
  errorLogInterval: number;
}

// Channels per SUBSCRIBE when restoring every subscription after a reconnect.
const RESTORE_CHUNK = 1000;

function toList(channels: ChannelList): readonly string[] {
  return typeof channels === 'string' ? [channels] : channels;
}

/**
 * A {@link ClusterTransport} over Redis. Connections open on the first `subscribe()` (again after
 * `close()`, so a restarted server rejoins). While Redis is unreachable `connected` is false and
 * `publish` throws `ERR_CLUSTER_001` at once: nothing is buffered, whatever the outage's length.
 * When both connections are ready again, every subscription (including ones made or dropped
 * during the outage) is restored in batches, then listeners hear `up`.
 *
 * @example
 * const transport = new RedisTransport({ source: { kind: 'url', url }, sharded: false,
 *   library: 'ioredis', logger, errorLogInterval: 5000 });
 */
export class RedisTransport implements ClusterTransport {
  readonly #opts: RedisTransportOptions;
  readonly #handlers = new Map<string, (bytes: Uint8Array) => void>();
  /** Channels unsubscribed while down: Redis may still hold them when it comes back. */
  readonly #dropped = new Set<string>();
  readonly #listeners = new Set<(up: boolean) => void>();
  readonly #logError: (message: string, err: unknown) => void;
  #driver: Promise<RedisDriver> | undefined;
  #ready: RedisDriver | undefined;
  #up = false;
  #restoring = false;
  /** The latest publish: `close()` lets it (a server's goodbye) reach Redis first. */
  #lastPublish: Promise<unknown> | undefined;
  /** Bumped by close(): events of an old driver are ignored. */
  #generation = 0;

  constructor(options: RedisTransportOptions) {
    this.#opts = options;
    this.#logError = rateLimitedError(options.logger, options.errorLogInterval);
  }

  get connected(): boolean {
    return this.#up;
  }

  /** Channels this transport holds a handler for (for tests and diagnostics). */
  get channelCount(): number {
    return this.#handlers.size;
  }

  publish(channel: string, bytes: Uint8Array): Promise<void> {
    const driver = this.#ready;
    if (!driver || !this.#up)
      throw new SmartSocketError('ERR_CLUSTER_001', 'Redis is unavailable: message not sent');
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const sent = driver.publish(channel, buffer);
    this.#lastPublish = sent;
    return sent.then(() => {});
  }

  async subscribe(channels: ChannelList, handler: (bytes: Uint8Array) => void): Promise<void> {
    const added: string[] = [];
    for (const channel of toList(channels)) {
      if (!this.#handlers.has(channel)) added.push(channel);
      this.#handlers.set(channel, handler);
      this.#dropped.delete(channel);
    }
    const driver = await this.#open();
    // While down (or restoring) the restore sends them.
    if (added.length > 0 && this.#up) await driver.subscribe(added);
  }

  async unsubscribe(channels: ChannelList): Promise<void> {
    const removed = toList(channels).filter((channel) => this.#handlers.delete(channel));
    if (removed.length === 0) return;
    if (this.#up && this.#ready) await this.#ready.unsubscribe(removed);
    else for (const channel of removed) this.#dropped.add(channel);
  }

  /**
   * Opens the connections (if needed) and resolves once Redis is usable; rejects with
   * `ERR_CLUSTER_001` after `timeout` ms.
   */
  async whenConnected(timeout: number): Promise<void> {
    void this.#open().catch((err) => this.#logError('[redis-adapter] connecting failed', err));
    if (this.#up) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new SmartSocketError('ERR_CLUSTER_001', `Redis not reachable within ${timeout} ms`));
      }, timeout);
      const off = this.onConnectionChange((up) => {
        if (!up) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  onConnectionChange(listener: (up: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    const last = this.#lastPublish;
    this.#lastPublish = undefined;
    if (last && this.#up) {
      // Bounded: a Redis that stopped answering must not hold up a server's stop().
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise((resolve) => {
        timer = setTimeout(resolve, 1000);
      });
      await Promise.race([last.catch(() => {}), late]);
      clearTimeout(timer);
    }
    this.#generation++;
    this.#handlers.clear();
    this.#dropped.clear();
    const driver = this.#driver;
    this.#driver = undefined;
    this.#ready = undefined;
    this.#setUp(false);
    if (driver) await (await driver.catch(() => undefined))?.close();
  }

  #open(): Promise<RedisDriver> {
    this.#driver ??= this.#create();
    return this.#driver;
  }

  async #create(): Promise<RedisDriver> {
    const generation = this.#generation;
    const { source, sharded, library } = this.#opts;
    const events = {
      message: (channel: string, bytes: Uint8Array) => {
        if (generation === this.#generation) this.#handlers.get(channel)?.(bytes);
      },
      status: () => {
        if (generation === this.#generation) this.#onStatus();
      },
      error: (err: unknown) => this.#logError('[redis-adapter] Redis connection error', err),
    };
    let driver: RedisDriver;
    if (source.kind === 'pair') {
      const make = isIoredis(source.pubClient) ? ioredisDriver : nodeRedisDriver;
      driver = make(source.pubClient, source.subClient, sharded, events, false);
    } else if (source.kind === 'client') {
      const make = isIoredis(source.client) ? ioredisDriver : nodeRedisDriver;
      driver = make(source.client, undefined, sharded, events, false);
    } else {
      const ioredis = library === 'ioredis';
      const client = await (ioredis ? ioredisFromUrl : nodeRedisFromUrl)(source.url, sharded);
      driver = (ioredis ? ioredisDriver : nodeRedisDriver)(
        client,
        undefined,
        sharded,
        events,
        true,
      );
    }
    if (generation !== this.#generation) {
      await driver.close();
      throw new SmartSocketError('ERR_CLUSTER_001', 'Redis transport closed while opening');
    }
    this.#ready = driver;
    this.#onStatus();
    return driver;
  }

  #onStatus(): void {
    const driver = this.#ready;
    const ready = driver?.ready === true;
    if (!ready) {
      this.#setUp(false);
      return;
    }
    if (this.#up || this.#restoring || !driver) return;
    this.#restoring = true;
    const generation = this.#generation;
    this.#restore(driver).then(
      () => {
        this.#restoring = false;
        if (generation === this.#generation && driver.ready) this.#setUp(true);
        else this.#onStatus();
      },
      (err) => {
        this.#restoring = false;
        this.#logError('[redis-adapter] restoring subscriptions failed', err);
        // The next status event (the reconnect) tries again.
      },
    );
  }

  async #restore(driver: RedisDriver): Promise<void> {
    const sent = new Set<string>();
    for (;;) {
      const todo = [...this.#handlers.keys()].filter((channel) => !sent.has(channel));
      if (todo.length === 0) break;
      for (let i = 0; i < todo.length; i += RESTORE_CHUNK) {
        await driver.subscribe(todo.slice(i, i + RESTORE_CHUNK));
      }
      for (const channel of todo) sent.add(channel);
    }
    const dropped = [...this.#dropped].filter((channel) => !this.#handlers.has(channel));
    this.#dropped.clear();
    for (let i = 0; i < dropped.length; i += RESTORE_CHUNK) {
      await driver.unsubscribe(dropped.slice(i, i + RESTORE_CHUNK));
    }
  }

  #setUp(up: boolean): void {
    if (this.#up === up) return;
    this.#up = up;
    for (const listener of [...this.#listeners]) {
      try {
        listener(up);
      } catch (err) {
        this.#logError('[redis-adapter] a connection listener threw', err);
      }
    }
  }
}
