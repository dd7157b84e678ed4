// A chat on Express: the app serves the page, SmartSocket shares its HTTP server for the sockets.
import { createServer, type Server } from 'node:http';
import { SmartSocket } from '@smartsocket/server';
import express from 'express';
import { attachChat, type ChatServer } from './chat.js';
import { chatPage } from './page.js';

/** The Express app: the chat page and a health route; SmartSocket answers `/smartsocket/*`. */
export function chatApp(title = 'SmartSocket chat on Express'): express.Express {
  const app = express();
  app.get('/', (_req, res) => {
    res.type('html').send(chatPage(title));
  });
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

/** A running chat: its HTTP server, the SmartSocket server, the URL, and how to stop both. */
export interface RunningChat {
  http: Server;
  sockets: ChatServer;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the chat on `port` (0: any free port). `sockets.start()` makes the Express server
 * listen, so one port carries the page, the browser client and the WebSocket.
 *
 * @example
 * const chat = await startChat({ port: 3000 });
 * console.log(`open ${chat.url}`);
 */
export async function startChat({ port = 3000, host = '127.0.0.1' } = {}): Promise<RunningChat> {
  const http = createServer(chatApp());
  const sockets: ChatServer = attachChat(new SmartSocket({ server: http, port, host }));
  await sockets.start();
  return {
    http,
    sockets,
    url: `http://${host}:${sockets.port}`,
    close: () => sockets.stop(),
  };
}
