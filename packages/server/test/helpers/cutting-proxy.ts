// A TCP proxy a test can cut: every connection dropped at once, new ones refused for a while.
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * Forwards 127.0.0.1:<port> to 127.0.0.1:<target>. `cut()` destroys every proxied connection
 * (both sides, no closing handshake: a network loss); while `refusing`, new connections are
 * destroyed as they arrive.
 *
 * @example
 * const proxy = await CuttingProxy.start(server.port);
 * proxy.cut(); proxy.refusing = true; … proxy.refusing = false;
 */
export class CuttingProxy {
  refusing = false;
  /** Connections accepted (and forwarded) so far. */
  accepted = 0;
  readonly #sockets = new Set<Socket>();
  /** Per live connection: its server-side socket and its client-side socket. */
  readonly #links = new Map<Socket, Socket>();

  private constructor(
    private readonly server: Server,
    target: number,
  ) {
    server.on('connection', (client) => {
      client.on('error', () => {});
      if (this.refusing) {
        client.destroy();
        return;
      }
      this.accepted++;
      const upstream = connect(target, '127.0.0.1');
      upstream.on('error', () => {});
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => {
          this.#sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      this.#links.set(upstream, client);
      upstream.on('close', () => this.#links.delete(upstream));
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  static async start(target: number): Promise<CuttingProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new CuttingProxy(server, target);
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** Stops reading from the server on every live connection (a client that stops reading). */
  stall(): void {
    for (const upstream of this.#links.keys()) {
      upstream.unpipe();
      upstream.pause();
    }
  }

  /** Reads from the server again on every live connection. */
  resume(): void {
    for (const [upstream, client] of this.#links) upstream.pipe(client);
  }

  /** Drops every proxied connection now. */
  cut(): void {
    for (const s of this.#sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
