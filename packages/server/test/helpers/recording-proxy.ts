// A raw TCP proxy between a real client and server on 127.0.0.1 that records every WebSocket
// message in both directions and lets a test hold back, drop or inject messages: an on-path
// attacker without the key, for the replay tests.
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket as NetSocket, type Server } from 'node:net';

/** `up`: client → server; `down`: server → client. */
export type Direction = 'up' | 'down';

/** One direction of one proxied TCP connection, parsed into WebSocket frames. */
class Pipe {
  #buffer = Buffer.alloc(0);
  #upgraded = false;
  /** Binary message payloads seen (unmasked), in order. */
  readonly messages: Uint8Array[] = [];
  /** Returns false to swallow a binary message (the test may inject it later). */
  filter: (payload: Uint8Array, index: number) => boolean = () => true;
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    readonly direction: Direction,
    private readonly out: NetSocket,
  ) {}

  push(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (!this.#upgraded) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.out.write(this.#buffer.subarray(0, end + 4));
      this.#buffer = this.#buffer.subarray(end + 4);
      this.#upgraded = true;
    }
    for (let frame = this.#take(); frame; frame = this.#take()) {
      if (frame.opcode !== 0x2 || !frame.fin) {
        this.out.write(frame.raw); // control frames, text: as they are
        continue;
      }
      const index = this.messages.push(frame.payload) - 1;
      if (this.filter(frame.payload, index)) this.out.write(frame.raw);
      for (const w of this.#waiters.filter((w) => this.messages.length >= w.count)) w.resolve();
      this.#waiters = this.#waiters.filter((w) => this.messages.length < w.count);
    }
  }

  /** Writes `payload` as one binary WebSocket message (masked when going up, as clients must). */
  inject(payload: Uint8Array): void {
    const masked = this.direction === 'up';
    const len = payload.length;
    const head = len < 126 ? 2 : len < 65536 ? 4 : 10;
    const frame = Buffer.alloc(head + (masked ? 4 : 0) + len);
    frame[0] = 0x82;
    if (len < 126) frame[1] = len;
    else if (len < 65536) {
      frame[1] = 126;
      frame.writeUInt16BE(len, 2);
    } else {
      frame[1] = 127;
      frame.writeBigUInt64BE(BigInt(len), 2);
    }
    if (masked) {
      frame[1]! |= 0x80;
      const mask = randomBytes(4);
      mask.copy(frame, head);
      for (let i = 0; i < len; i++) frame[head + 4 + i] = payload[i]! ^ mask[i & 3]!;
    } else frame.set(payload, head);
    this.out.write(frame);
  }

  /** Resolves once `count` binary messages went through this pipe (forwarded or not). */
  seen(count: number): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  #take(): { fin: boolean; opcode: number; payload: Uint8Array; raw: Buffer } | undefined {
    const b = this.#buffer;
    if (b.length < 2) return undefined;
    const masked = (b[1]! & 0x80) !== 0;
    let len = b[1]! & 0x7f;
    let offset = 2;
    if (len === 126) {
      if (b.length < 4) return undefined;
      len = b.readUInt16BE(2);
      offset = 4;
    } else if (len === 127) {
      if (b.length < 10) return undefined;
      len = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    const maskAt = offset;
    if (masked) offset += 4;
    if (b.length < offset + len) return undefined;
    const payload = Buffer.from(b.subarray(offset, offset + len));
    if (masked) for (let i = 0; i < len; i++) payload[i]! ^= b[maskAt + (i & 3)]!;
    const raw = Buffer.from(b.subarray(0, offset + len));
    this.#buffer = b.subarray(offset + len);
    return {
      fin: (b[0]! & 0x80) !== 0,
      opcode: b[0]! & 0x0f,
      payload: new Uint8Array(payload),
      raw,
    };
  }
}

/** One proxied client connection: its two pipes. */
export interface ProxiedConnection {
  readonly up: Pipe;
  readonly down: Pipe;
}

/**
 * Listens on 127.0.0.1:0 and forwards every connection to `127.0.0.1:target`.
 *
 * @example
 * const proxy = await RecordingProxy.start(server.port);
 * const client = realClient(cleanup, proxy.port, { encryptionKey });
 * proxy.connections[0].up.inject(proxy.connections[0].up.messages[1]);
 */
export class RecordingProxy {
  readonly connections: ProxiedConnection[] = [];
  #waiters: ((c: ProxiedConnection) => void)[] = [];
  readonly #sockets = new Set<NetSocket>();

  private constructor(
    private readonly server: Server,
    target: number,
  ) {
    server.on('connection', (client) => {
      const upstream = connect(target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => {
          this.#sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      const conn = { up: new Pipe('up', upstream), down: new Pipe('down', client) };
      client.on('data', (chunk) => conn.up.push(chunk));
      upstream.on('data', (chunk) => conn.down.push(chunk));
      this.connections.push(conn);
      for (const w of this.#waiters.splice(0)) w(conn);
    });
  }

  static async start(target: number): Promise<RecordingProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RecordingProxy(server, target);
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** The next connection the proxy accepts. */
  nextConnection(): Promise<ProxiedConnection> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
