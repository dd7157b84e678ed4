// Hooks the server into an http(s) server's 'request' and 'upgrade' events, and undoes it.
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Ends a raw upgrade socket with a minimal HTTP response. */
export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

/**
 * Puts our request handler in front of the application's own 'request' listeners (they still
 * get every request we do not answer) and listens for upgrades on our path only. On an attached
 * server, upgrades for other paths are left to the application's other 'upgrade' listeners.
 */
export class HttpBinding {
  #previous: RequestListener[] = [];
  readonly #onRequest: RequestListener;
  readonly #onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

  constructor(
    readonly server: HttpServer | HttpsServer,
    private readonly own: boolean,
    handleRequest: (req: IncomingMessage, res: ServerResponse) => boolean,
    handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean,
  ) {
    this.#onRequest = (req, res) => {
      if (handleRequest(req, res)) return;
      if (this.#previous.length === 0) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
        return;
      }
      for (const listener of this.#previous) listener.call(this.server, req, res);
    };
    this.#onUpgrade = (req, socket, head) => {
      socket.on('error', () => {});
      if (handleUpgrade(req, socket, head)) return;
      // Not ours: leave it to the application's own upgrade handlers, if there are any.
      if (this.own || this.server.listenerCount('upgrade') <= 1)
        rejectUpgrade(socket, 400, 'Bad Request');
    };
  }

  attach(): void {
    this.#previous = this.server.listeners('request') as RequestListener[];
    this.server.removeAllListeners('request');
    this.server.on('request', this.#onRequest);
    this.server.on('upgrade', this.#onUpgrade);
  }

  detach(): void {
    this.server.off('request', this.#onRequest);
    this.server.off('upgrade', this.#onUpgrade);
    for (const listener of this.#previous) this.server.on('request', listener);
    this.#previous = [];
  }
}
