// A round-robin proxy for tests: each HTTP request and each WebSocket upgrade goes to the next backend.
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

/** The proxy's port, how many requests each backend got, and `close()`. */
export interface RoundRobinProxy {
  readonly port: number;
  /** Requests (HTTP and upgrades) forwarded to each backend port, by port. */
  readonly hits: Map<number, number>;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 and forwards every request, in turn, to the next of `ports` (no
 * stickiness of any kind: two requests of one client, even on one keep-alive connection, go to
 * different backends). An upgrade is piped as raw TCP to the next backend.
 */
export async function startRoundRobinProxy(ports: readonly number[]): Promise<RoundRobinProxy> {
  let turn = 0;
  const hits = new Map<number, number>(ports.map((p) => [p, 0]));
  const sockets = new Set<Socket>();
  const pick = (): number => {
    const port = ports[turn++ % ports.length]!;
    hits.set(port, (hits.get(port) ?? 0) + 1);
    return port;
  };
  const server: Server = createServer((req, res) => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: pick(),
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const up = connect(pick(), '127.0.0.1', () => {
      let raw = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        raw += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      up.write(`${raw}\r\n`);
      if (head.length > 0) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.once('close', () => {
      sockets.delete(up);
      client.destroy();
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
    client.once('close', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    hits,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
