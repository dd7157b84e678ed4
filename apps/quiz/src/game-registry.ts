// The running games by code: creates games with fresh codes, finds them by code or token,
// and forgets finished ones after a while so memory stays bounded.
import { randomBytes, randomInt } from 'node:crypto';
import type { Clock } from './clock.js';
import { Game, type GameEvents, type Question } from './game.js';
import { GameError } from './game-error.js';

// Consonants only: codes are easy to read out loud and never spell words.
const CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const CODE_LENGTH = 4;

export interface GameRegistryOptions {
  questionTimeMs: number;
  revealTimeMs: number;
  maxPlayers: number;
  /** Upper bound on games held at once; `create` throws TOO_MANY_GAMES beyond it. */
  maxGames: number;
  /** How long a finished game stays reachable (for its final standings). */
  finishedTtlMs: number;
  /** A game still in its lobby with no activity for this long is dropped when a new game is created. */
  idleLobbyTtlMs: number;
  clock: Clock;
  /** The questions of a new game (e.g. a shuffled pick of the built-in ones). */
  pickQuestions: () => readonly Question[];
  /** Delivers a game event to the game's room. */
  emit: <E extends keyof GameEvents>(code: string, event: E, data: GameEvents[E]) => void;
  /** Random integer in [0, max). @default node:crypto randomInt */
  randomInt?: (max: number) => number;
  /** Unguessable token. @default 16 random bytes, base64url */
  newToken?: () => string;
}

/**
 * Holds the games of one quiz server.
 *
 * @example
 * const games = new GameRegistry({ ...options, emit: (code, ev, data) => nsp.to(code).emit(ev, data) });
 * const game = games.create();
 * games.get(game.code) === game;
 */
export class GameRegistry {
  readonly #opts: GameRegistryOptions;
  readonly #games = new Map<string, Game>();
  readonly #expiry = new Map<string, unknown>();
  readonly #random: (max: number) => number;
  readonly #newToken: () => string;

  constructor(options: GameRegistryOptions) {
    this.#opts = options;
    this.#random = options.randomInt ?? ((max) => randomInt(max));
    this.#newToken = options.newToken ?? (() => randomBytes(16).toString('base64url'));
  }

  /** Number of games held. */
  get size(): number {
    return this.#games.size;
  }

  /** Creates a game in its lobby under a fresh code. */
  create(): Game {
    this.sweep();
    if (this.#games.size >= this.#opts.maxGames) throw new GameError('TOO_MANY_GAMES');
    const code = this.#freshCode();
    const game = new Game({
      code,
      questions: this.#opts.pickQuestions(),
      questionTimeMs: this.#opts.questionTimeMs,
      revealTimeMs: this.#opts.revealTimeMs,
      maxPlayers: this.#opts.maxPlayers,
      clock: this.#opts.clock,
      newToken: this.#newToken,
      emit: (event, data) => this.#opts.emit(code, event, data),
      onFinished: () => this.#expire(code),
    });
    this.#games.set(code, game);
    return game;
  }

  /** The game with this code (case-insensitive), or undefined. */
  get(code: unknown): Game | undefined {
    return typeof code === 'string' ? this.#games.get(code.trim().toUpperCase()) : undefined;
  }

  /** The game and player a player token belongs to. */
  findPlayer(token: unknown): { game: Game; playerId: string } | undefined {
    for (const game of this.#games.values()) {
      const playerId = game.playerIdFor(token);
      if (playerId) return { game, playerId };
    }
    return undefined;
  }

  /** The game a host token belongs to. */
  findHosted(token: unknown): Game | undefined {
    if (typeof token !== 'string' || token === '') return undefined;
    for (const game of this.#games.values()) if (game.hostToken === token) return game;
    return undefined;
  }

  /** Removes a game now and stops its timers. */
  remove(code: string): void {
    this.#games.get(code)?.dispose();
    this.#games.delete(code);
    const timer = this.#expiry.get(code);
    if (timer !== undefined) this.#opts.clock.clearTimeout(timer);
    this.#expiry.delete(code);
  }

  /**
   * Drops lobbies nobody has touched for `idleLobbyTtlMs` (a game that started runs to its end
   * on its own timers and is then dropped after `finishedTtlMs`). Runs on every `create`.
   */
  sweep(): void {
    const oldest = this.#opts.clock.now() - this.#opts.idleLobbyTtlMs;
    for (const [code, game] of this.#games)
      if (game.phase === 'lobby' && game.lastActiveAt < oldest) this.remove(code);
  }

  /** Removes every game and timer. */
  dispose(): void {
    for (const code of [...this.#games.keys()]) this.remove(code);
  }

  #expire(code: string): void {
    this.#expiry.set(
      code,
      this.#opts.clock.setTimeout(() => this.remove(code), this.#opts.finishedTtlMs),
    );
  }

  #freshCode(): string {
    for (;;) {
      let code = '';
      for (let i = 0; i < CODE_LENGTH; i++)
        code += CODE_ALPHABET[this.#random(CODE_ALPHABET.length)];
      if (!this.#games.has(code)) return code;
    }
  }
}
