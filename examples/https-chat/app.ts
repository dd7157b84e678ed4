// The same chat over HTTPS: an https server with a certificate made at start-up; the sockets are wss://.
import { createServer } from 'node:https';
import { SmartSocket } from '@smartsocket/server';
import { chatApp, type RunningChat } from '../express-chat/app.js';
import { attachChat, type ChatServer } from '../express-chat/chat.js';
import { devCertificate } from './certificate.js';

/** A running HTTPS chat, plus the certificate so clients can trust it. */
export interface RunningHttpsChat extends Omit<RunningChat, 'http'> {
  cert: string;
}

/**
 * Starts the chat over HTTPS on `port` (0: any free port). SmartSocket attaches to the https
 * server exactly as to an http one; clients connect with `https://` (or `wss://`) URLs.
 *
 * @example
 * const chat = await startHttpsChat({ port: 3443 });
 * console.log(`open ${chat.url}`);
 */
export async function startHttpsChat({
  port = 3443,
  host = '127.0.0.1',
} = {}): Promise<RunningHttpsChat> {
  const { key, cert } = await devCertificate();
  const https = createServer({ key, cert }, chatApp('SmartSocket chat over HTTPS'));
  const sockets: ChatServer = attachChat(new SmartSocket({ server: https, port, host }));
  await sockets.start();
  return { sockets, cert, url: `https://${host}:${sockets.port}`, close: () => sockets.stop() };
}
