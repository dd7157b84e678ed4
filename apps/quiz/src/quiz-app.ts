// The whole demo in one call: an HTTP server for the page and the client bundle, SmartSocket
// attached to it, and the quiz wired on top.
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { SmartSocket, type SmartSocketOptions } from '@smartsocket/server';
import { buildClientBundle } from './client-bundle.js';
import { serveJoinQr } from './join-qr.js';
import type { QuizOptions } from './quiz-options.js';
import { attachQuiz, type QuizServer } from './quiz-server.js';
import { staticFiles } from './static-files.js';

export interface QuizAppOptions {
  /** @default 3000 (0 picks a free port) */
  port?: number;
  /** @default 'localhost' */
  host?: string;
  /** Serve the browser client at /SmartSocketClient.js (built at startup). @default true */
  clientBundle?: boolean;
  /** Game settings. */
  quiz?: Partial<QuizOptions>;
  /** Extra SmartSocket server options. */
  smartsocket?: SmartSocketOptions;
}

export interface QuizApp {
  /** e.g. `http://localhost:3000/` */
  readonly url: string;
  readonly port: number;
  readonly http: Server;
  readonly smartsocket: SmartSocket;
  readonly quiz: QuizServer;
  close(): Promise<void>;
}

const publicDir = fileURLToPath(new URL('../public/', import.meta.url));

/**
 * Starts the quiz demo and resolves once it listens.
 *
 * @example
 * const app = await startQuizApp({ port: 0, host: '127.0.0.1' });
 * console.log(app.url);
 * await app.close();
 */
export async function startQuizApp(options: QuizAppOptions = {}): Promise<QuizApp> {
  const host = options.host ?? 'localhost';
  const extra: Record<string, string> = {};
  if (options.clientBundle !== false) extra['/SmartSocketClient.js'] = await buildClientBundle();
  const files = staticFiles(publicDir, extra);
  const http = createServer((req, res) => {
    if (!serveJoinQr(req, res)) files(req, res);
  });
  const smartsocket = new SmartSocket({
    // A player whose network drops for a moment keeps the same session: the question, the
    // countdown and the score stay, and what was sent meanwhile is replayed (no rejoin needed).
    enableMessageCache: true,
    messageCacheTTL: 30_000,
    ...options.smartsocket,
    server: http,
    port: options.port ?? 3000,
    host,
  });
  const quiz = attachQuiz(smartsocket, options.quiz);
  await smartsocket.start();
  const port = smartsocket.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    http,
    smartsocket,
    quiz,
    async close() {
      quiz.close();
      await smartsocket.stop();
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
