// A tiny protocol-speaking client over raw `ws` for server tests (independent of @smartsocket/client).
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  answerKey,
  type CipherKey,
  decodeSessionNonce,
  encodeSessionNonce,
  openFrame,
  parseKey,
  randomSessionNonce,
  type SectionSealer,
  SessionCipher,
  sealFrame,
} from '@smartsocket/crypto';
import {
  decodeFrameData,
  decodeFrames,
  encodeFrame,
  encodeMessage,
  type Frame,
  FrameFlag,
  FrameType,
  type MessageInit,
  SUBPROTOCOL,
} from '@smartsocket/protocol';
import { WebSocket } from 'ws';
import type { SmartSocket } from '../../src/index.js';

/**
 * A received frame with its decoded value (`flags` as on the wire). `data` is `undefined` when
 * the section could not be opened or decoded; `failure` then says why.
 */
export interface Received extends Omit<Frame, 'data'> {
  data: unknown;
  raw: Uint8Array;
  /** The data section as received (sealed / compressed if flagged). */
  section: Uint8Array;
  failure?: string;
}

export interface TestClientOptions {
  namespace?: string;
  auth?: unknown;
  apiKey?: string;
  headers?: Record<string, string>;
  path?: string;
  /** Skip sending CONNECT. */
  noConnect?: boolean;
  /** Base64 key: seal every frame sent (CONNECT included) and open sealed frames received. */
  key?: string;
  /** Announce `caps.compression: ['deflate']` (received COMPRESSED sections are inflated). */
  deflate?: boolean;
}

type Waiter = { match: (f: Received) => boolean; resolve: (f: Received) => void };

/** Opens a raw WebSocket, speaks the SmartSocket protocol, records every frame and message. */
export class TestClient {
  readonly frames: Received[] = [];
  /** Raw transport messages, as received. */
  readonly messages: Uint8Array[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  id = '';
  namespace: string;
  #waiters: Waiter[] = [];
  #nextAck = 1;
  /**
   * The shared key (set from `opts.key`; tests may change it): seals the CONNECT; the session
   * keys derive from it, this client's nonce and the server's.
   */
  key: CipherKey | undefined;
  /** The session keys once the sealed CONNECT answer arrived (tests may replace them). */
  cipher: SessionCipher | undefined;
  /** This client's handshake nonce (a fresh one per CONNECT sent; tests may set it). */
  nonce: Uint8Array = randomSessionNonce();
  /** Whether CONNECT announces deflate. */
  deflate: boolean;

  private constructor(
    readonly ws: WebSocket,
    namespace: string,
    opts: TestClientOptions = {},
  ) {
    this.namespace = namespace;
    this.key = opts.key === undefined ? undefined : parseKey(opts.key);
    this.deflate = opts.deflate === true;
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      this.messages.push(bytes);
      for (const f of decodeFrames(bytes)) {
        const r = this.#decode(f, bytes);
        if (f.type === FrameType.HEARTBEAT && this.autoPong)
          this.send({ type: FrameType.HEARTBEAT_ACK, data: r.data });
        this.frames.push(r);
        const i = this.#waiters.findIndex((w) => w.match(r));
        if (i >= 0) this.#waiters.splice(i, 1)[0]!.resolve(r);
      }
    });
  }

  #decode(f: Frame, raw: Uint8Array): Received {
    const r: Received = { ...f, data: undefined, raw, section: f.data };
    try {
      let data = f.data;
      if (f.flags & FrameFlag.ENCRYPTED) {
        if (!this.key) throw new Error('sealed');
        if (this.cipher) data = openFrame(this.cipher, f);
        else {
          // The CONNECT answer: sealed with the key bound to our nonce; it gives the session keys.
          data = openFrame(answerKey(this.key, this.nonce), f);
          if (f.type === FrameType.CONNECT) this.#startSession(f, data);
        }
      }
      if (f.flags & FrameFlag.COMPRESSED) data = inflateRawSync(data);
      const flags = f.flags & ~(FrameFlag.ENCRYPTED | FrameFlag.COMPRESSED);
      r.data = decodeFrameData({ flags, data });
    } catch (err) {
      r.failure = (err as Error).message;
    }
    return r;
  }

  #startSession(f: Frame, section: Uint8Array): void {
    const answer = decodeFrameData({ flags: f.flags & ~FrameFlag.ENCRYPTED, data: section }) as {
      nonce?: string;
      group?: { salt?: string; seq?: number };
    };
    const serverNonce = decodeSessionNonce(answer.nonce);
    const salt = decodeSessionNonce(answer.group?.salt);
    if (!serverNonce || !salt || typeof answer.group?.seq !== 'number')
      throw new Error('answer without session nonce/group');
    this.cipher = SessionCipher.forClient(this.key!, this.nonce, serverNonce, {
      salt,
      seq: answer.group.seq,
    });
  }

  /** Answer server HEARTBEAT probes automatically. */
  autoPong = true;

  static url(server: SmartSocket, path = server.options.path): string {
    return `ws://127.0.0.1:${server.port}${path}`;
  }

  /** Opens the socket (resolves on open) without CONNECT. */
  static async open(server: SmartSocket, opts: TestClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(TestClient.url(server, opts.path), [SUBPROTOCOL], {
      headers: opts.headers ?? {},
    });
    const client = new TestClient(ws, opts.namespace ?? '/', opts);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error('http'), { status: res.statusCode })),
      );
      ws.once('error', reject);
    });
    return client;
  }

  /** Opens, sends CONNECT and resolves with the answer frame (CONNECT or ERROR). */
  static async connect(server: SmartSocket, opts: TestClientOptions = {}): Promise<TestClient> {
    const client = await TestClient.open(server, opts);
    const answer = await client.handshake(opts);
    if (answer.type !== FrameType.CONNECT)
      throw Object.assign(new Error('refused'), { frame: answer, client });
    return client;
  }

  async handshake(opts: Pick<TestClientOptions, 'auth' | 'apiKey'> = {}): Promise<Received> {
    const compression = this.deflate ? ['deflate'] : [];
    const body: Record<string, unknown> = { caps: { compression, binary: true } };
    if (opts.auth !== undefined) body.auth = opts.auth;
    if (opts.apiKey !== undefined) body.apiKey = opts.apiKey;
    if (this.key) body.nonce = encodeSessionNonce(this.nonce);
    this.send({ type: FrameType.CONNECT, data: body });
    const answer = await this.next(
      (f) => f.type === FrameType.CONNECT || f.type === FrameType.ERROR,
    );
    if (answer.type === FrameType.CONNECT) this.id = (answer.data as { id: string }).id;
    return answer;
  }

  /** Sends one frame: sealed when the client has a key, deflated with `compress` (forced). */
  send(msg: MessageInit, compress = false): void {
    this.ws.send(this.encode(msg, compress));
  }

  /** The bytes `send` would write. */
  encode(msg: MessageInit, compress = false): Uint8Array {
    const plain = encodeMessage({ namespace: this.namespace, ...msg });
    if (!this.key && !compress) return plain;
    const f = decodeFrames(plain)[0]!;
    const data = compress ? deflateRawSync(f.data) : f.data;
    const flags = f.flags | (compress ? FrameFlag.COMPRESSED : 0);
    const head = { type: f.type, namespace: f.namespace, event: f.event, ackId: f.ackId, flags };
    return this.sealed(head, data);
  }

  /**
   * A frame with `section` as its data, sealed when the client has a key: with the session keys
   * once the handshake is done, with the shared key before (the CONNECT).
   */
  sealed(head: Parameters<typeof sealFrame>[1], section: Uint8Array): Uint8Array {
    const sealer: SectionSealer | undefined = this.key && (this.cipher ?? this.key);
    if (sealer) return sealFrame(sealer, head, section);
    return encodeFrame({ ...head, data: section });
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.ws.send(bytes);
  }

  /** Emits an event; with `withAck`, returns the ack id used. */
  emit(event: string, data?: unknown, withAck = false): number | undefined {
    const ackId = withAck ? this.#nextAck++ : undefined;
    this.send({ type: FrameType.EVENT, event, data, ackId });
    return ackId;
  }

  /** Emits with an ack and resolves with the ACK or ERROR frame answering it. */
  async request(event: string, data?: unknown): Promise<Received> {
    const ackId = this.emit(event, data, true)!;
    return this.next(
      (f) =>
        (f.type === FrameType.ACK && f.ackId === ackId) ||
        (f.type === FrameType.ERROR && (f.data as { ackId?: number }).ackId === ackId),
    );
  }

  ack(ackId: number, data?: unknown): void {
    this.send({ type: FrameType.ACK, ackId, data });
  }

  /** Resolves with the first frame (already received or future) matching `match`. */
  next(match: (f: Received) => boolean = () => true, timeoutMs = 3000): Promise<Received> {
    const seen = this.frames.find((f) => match(f) && !this.#consumed.has(f));
    if (seen) {
      this.#consumed.add(seen);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout waiting for frame')), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          this.#consumed.add(f);
          resolve(f);
        },
      });
    });
  }

  #consumed = new WeakSet<Received>();

  /** The next EVENT named `event`. */
  nextEvent(event: string, timeoutMs?: number): Promise<Received> {
    return this.next((f) => f.type === FrameType.EVENT && f.event === event, timeoutMs);
  }

  /** The next ERROR frame. */
  nextError(timeoutMs?: number): Promise<Received> {
    return this.next((f) => f.type === FrameType.ERROR, timeoutMs);
  }

  close(): Promise<unknown> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    this.ws.terminate();
    return this.closed;
  }
}

/** Tracks servers and clients created in a test, to close them in afterEach. */
export class Cleanup {
  readonly #items: (() => Promise<unknown>)[] = [];

  server<T extends SmartSocket>(server: T): T {
    this.#items.push(() => server.stop());
    return server;
  }

  add(fn: () => Promise<unknown> | unknown): void {
    this.#items.push(async () => fn());
  }

  client(client: TestClient): TestClient {
    this.#items.push(() => client.close());
    return client;
  }

  async run(): Promise<void> {
    const items = this.#items.splice(0).reverse();
    for (const fn of items) await fn();
  }
}

/** Resolves when `emitter` emits `event` (first arguments array). */
export function once<T extends unknown[]>(
  target: { on(event: string, fn: (...args: never[]) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => {
    let done = false;
    target.on(event, ((...args: T) => {
      if (done) return;
      done = true;
      resolve(args);
    }) as never);
  });
}

/** A started server on 127.0.0.1 port 0, registered for cleanup. */
export async function startServer(
  cleanup: Cleanup,
  options: import('../../src/index.js').SmartSocketOptions = {},
): Promise<SmartSocket> {
  const { SmartSocket } = await import('../../src/index.js');
  const server = cleanup.server(new SmartSocket({ host: '127.0.0.1', port: 0, ...options }));
  await server.start();
  return server;
}
