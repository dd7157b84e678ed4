// Wires the game rules to SmartSocket: the '/quiz' namespace, one room per game code, client
// requests answered by acks, and game events broadcast to the game's room.
import type { Namespace, SmartSocket, Socket } from '@smartsocket/server';
import type { Game } from './game.js';
import { GameError } from './game-error.js';
import { GameRegistry } from './game-registry.js';
import { pickQuestions } from './questions.js';
import { type QuizOptions, resolveQuizOptions } from './quiz-options.js';

/** What the quiz keeps on each socket (`socket.data`). */
interface QuizSocketData {
  code?: string;
  role?: 'host' | 'player';
  playerId?: string;
}

type QuizSocket = Socket<any, any, QuizSocketData>;
type Ack = ((response: unknown) => void) | undefined;

/** The room of a game's host and players. */
export const roomOf = (code: string): string => `game:${code}`;

export interface QuizServer {
  readonly namespace: Namespace;
  readonly games: GameRegistry;
  /** Stops every game timer (the SmartSocket server itself is the caller's to stop). */
  close(): void;
}

/**
 * Serves the quiz on `server`. Client → server events, each answered by an ack (`{ error, code }`
 * on refusal): `create`, `host:resume { hostToken }`, `join { code, name }`, `rejoin { token }`,
 * `start`, `next`, `answer { index, choice }`. Server → room events: `leaderboard`, `question`,
 * `progress`, `reveal`, `finished`.
 *
 * @example
 * const server = new SmartSocket({ port: 3000 });
 * attachQuiz(server, { questionTimeMs: 15_000 });
 * await server.start();
 */
export function attachQuiz(server: SmartSocket, options: Partial<QuizOptions> = {}): QuizServer {
  const opts = resolveQuizOptions(options);
  const nsp = server.namespace(opts.namespace);
  const games = new GameRegistry({
    ...opts,
    pickQuestions: () =>
      opts.ordered
        ? opts.questions.slice(0, opts.questionCount)
        : pickQuestions(opts.questions, opts.questionCount),
    emit: (code, event, data) => {
      nsp.to(roomOf(code)).emit(event, data);
    },
  });

  /** Runs a request; its result (or the GameError) becomes the ack. */
  const on = (
    event: string,
    fn: (socket: QuizSocket, data: Record<string, unknown>) => unknown,
  ): void => {
    nsp.on(event, (socket: QuizSocket, data: unknown, ack: Ack) => {
      let response: unknown;
      try {
        response = fn(
          socket,
          data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {},
        );
      } catch (err) {
        if (!(err instanceof GameError)) {
          ack?.({ error: 'Internal error', code: 'INTERNAL' });
          throw err; // the server reports it on its 'error' event
        }
        response = { error: err.message, code: err.code };
      }
      ack?.(response ?? { ok: true });
    });
  };

  const detach = (socket: QuizSocket): void => {
    const { code, role, playerId } = socket.data;
    if (code) {
      socket.leave(roomOf(code));
      if (role === 'player' && playerId) games.get(code)?.setConnected(playerId, -1);
    }
    socket.data = {};
  };

  const attachHost = (socket: QuizSocket, game: Game): unknown => {
    detach(socket);
    socket.join(roomOf(game.code));
    socket.data = { code: game.code, role: 'host' };
    return { code: game.code, hostToken: game.hostToken, game: game.snapshot() };
  };

  /** Makes `socket` the player's connection; a new player (given with its `token`) already counts as connected. */
  const attachPlayer = (
    socket: QuizSocket,
    game: Game,
    playerId: string,
    token?: string,
  ): unknown => {
    socket.join(roomOf(game.code));
    socket.data = { code: game.code, role: 'player', playerId };
    if (!token) game.setConnected(playerId, 1);
    return {
      code: game.code,
      playerId,
      ...(token ? { token } : {}),
      game: game.snapshot(playerId),
    };
  };

  const gameOf = (socket: QuizSocket, role: 'host' | 'player'): Game => {
    const game = games.get(socket.data.code);
    if (!game) throw new GameError('GAME_NOT_FOUND');
    if (socket.data.role !== role) throw new GameError(role === 'host' ? 'NOT_HOST' : 'NOT_PLAYER');
    return game;
  };

  on('create', (socket) => attachHost(socket, games.create()));

  on('host:resume', (socket, { hostToken }) => {
    const game = games.findHosted(hostToken);
    if (!game) throw new GameError('BAD_TOKEN');
    return attachHost(socket, game);
  });

  on('join', (socket, { code, name }) => {
    const game = games.get(code);
    if (!game) throw new GameError('GAME_NOT_FOUND');
    detach(socket);
    const { playerId, token } = game.join(name, 1);
    return attachPlayer(socket, game, playerId, token);
  });

  on('rejoin', (socket, { token }) => {
    const found = games.findPlayer(token);
    if (!found) throw new GameError('BAD_TOKEN');
    detach(socket);
    return attachPlayer(socket, found.game, found.playerId);
  });

  on('start', (socket) => {
    gameOf(socket, 'host').start();
  });

  on('next', (socket) => {
    gameOf(socket, 'host').next();
  });

  on('answer', (socket, { index, choice }) =>
    gameOf(socket, 'player').answer(socket.data.playerId ?? '', index, choice),
  );

  nsp.on('disconnected', (socket: QuizSocket) => detach(socket));

  return {
    namespace: nsp as Namespace,
    games,
    close: () => games.dispose(),
  };
}
