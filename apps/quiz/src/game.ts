// One quiz game as a pure state machine: lobby → question ⇄ reveal → finished. No I/O: time comes
// from an injected clock and everything the room should see goes out through `emit`.

import { GameError } from './game-error.js';
import { type NamedAnswer, questionStats } from './game-stats.js';
import type {
  AnswerResult,
  GameEvents,
  GameOptions,
  GameSnapshot,
  LeaderboardEntry,
  Phase,
  Question,
  QuestionStats,
  QuestionView,
  RevealView,
} from './game-types.js';
import { rankPlayers } from './leaderboard.js';
import { normalizeName } from './player-name.js';
import { scoreAnswer } from './scoring.js';

export type * from './game-types.js';
export { normalizeName } from './player-name.js';

interface Player {
  id: string;
  name: string;
  token: string;
  score: number;
  connections: number;
  answers: Map<number, AnswerResult>;
}

/**
 * A quiz game.
 *
 * @example
 * const game = new Game({ code: 'BCDF', questions, questionTimeMs: 15_000, revealTimeMs: 4000,
 *   maxPlayers: 50, clock: systemClock, emit: (ev, data) => room.emit(ev, data), newToken });
 * const { playerId, token } = game.join('Ada');
 * game.start();
 * game.answer(playerId, 0, 2); // { correct, points, score, … }
 */
export class Game {
  readonly code: string;
  readonly hostToken: string;
  readonly #opts: GameOptions;
  readonly #players = new Map<string, Player>();
  readonly #byToken = new Map<string, Player>();
  #phase: Phase = 'lobby';
  #index = -1;
  #openedAt = 0;
  #phaseEndsAt = 0;
  #timer: unknown;
  #nextId = 1;
  #lastActiveAt: number;

  constructor(options: GameOptions) {
    this.#opts = options;
    this.code = options.code;
    this.hostToken = options.newToken();
    this.#lastActiveAt = options.clock.now();
  }

  /** When a player last joined, came, went or answered, or the game last moved on. */
  get lastActiveAt(): number {
    return this.#lastActiveAt;
  }

  get phase(): Phase {
    return this.#phase;
  }

  /** Index of the current (or last) question; -1 in the lobby. */
  get questionIndex(): number {
    return this.#index;
  }

  /**
   * Adds a player (in the lobby or mid-game) and returns its id and secret token. `connections`
   * is how many live connections it starts with (0 or 1), as if `setConnected` had been called.
   */
  join(rawName: unknown, connections: 0 | 1 = 0): { playerId: string; token: string } {
    if (this.#phase === 'finished') throw new GameError('GAME_OVER');
    if (this.#players.size >= this.#opts.maxPlayers) throw new GameError('GAME_FULL');
    const name = normalizeName(rawName);
    const folded = name.toLowerCase();
    for (const p of this.#players.values())
      if (p.name.toLowerCase() === folded) throw new GameError('NAME_TAKEN');
    const player: Player = {
      id: `p${this.#nextId++}`,
      name,
      token: this.#opts.newToken(),
      score: 0,
      connections,
      answers: new Map(),
    };
    this.#players.set(player.id, player);
    this.#byToken.set(player.token, player);
    this.#touch();
    this.#emitLeaderboard();
    return { playerId: player.id, token: player.token };
  }

  /** The player id a token belongs to, or undefined. */
  playerIdFor(token: unknown): string | undefined {
    return typeof token === 'string' ? this.#byToken.get(token)?.id : undefined;
  }

  /** Records that a connection of the player opened (`+1`) or closed (`-1`). */
  setConnected(playerId: string, delta: 1 | -1): void {
    const player = this.#players.get(playerId);
    if (!player) return;
    this.#touch();
    const before = player.connections > 0;
    player.connections = Math.max(0, player.connections + delta);
    if (before === player.connections > 0) return;
    this.#emitLeaderboard();
    // Someone who left can no longer hold the question open for everyone else.
    if (this.#phase === 'question') this.#closeIfAllAnswered();
  }

  /** Host: leaves the lobby and opens the first question. */
  start(): void {
    if (this.#phase !== 'lobby') throw new GameError('NOT_IN_LOBBY');
    if (this.#players.size === 0) throw new GameError('NO_PLAYERS');
    this.#openQuestion(0);
  }

  /** Host: closes the open question now, or skips the rest of the reveal. */
  next(): void {
    if (this.#phase === 'question') this.#closeQuestion();
    else if (this.#phase === 'reveal') this.#advance();
    else if (this.#phase === 'lobby') throw new GameError('NO_QUESTION');
    else throw new GameError('GAME_OVER');
  }

  /** A player answers question `index` with `choice`; scores it and updates the standings. */
  answer(playerId: string, index: unknown, choice: unknown): AnswerResult {
    const player = this.#players.get(playerId);
    if (!player) throw new GameError('NOT_PLAYER');
    if (!Number.isInteger(index) || !Number.isInteger(choice)) throw new GameError('BAD_REQUEST');
    if (this.#phase === 'lobby') throw new GameError('NO_QUESTION');
    const elapsed = this.#opts.clock.now() - this.#openedAt;
    if (this.#phase !== 'question' || index !== this.#index || elapsed > this.#opts.questionTimeMs)
      throw new GameError('TOO_LATE');
    if (player.answers.has(this.#index)) throw new GameError('ALREADY_ANSWERED');
    const question = this.#question();
    if ((choice as number) < 0 || (choice as number) >= question.choices.length)
      throw new GameError('INVALID_CHOICE');
    const correct = choice === question.answer;
    const points = scoreAnswer(correct, elapsed, this.#opts.questionTimeMs);
    player.score += points;
    this.#touch();
    const result: AnswerResult = {
      index: this.#index,
      choice: choice as number,
      correct,
      points,
      timeMs: elapsed,
      score: player.score,
      correctChoice: question.answer,
    };
    player.answers.set(this.#index, result);
    this.#opts.emit('progress', this.#progress());
    if (points > 0) this.#emitLeaderboard();
    this.#closeIfAllAnswered();
    return result;
  }

  /** Players by score (best first), ties sharing a rank, then by name. */
  leaderboard(): LeaderboardEntry[] {
    return rankPlayers(this.#players.values());
  }

  /** The state a page needs to draw itself; with `playerId`, that player's own part too. */
  snapshot(playerId?: string): GameSnapshot {
    const snap: GameSnapshot = {
      code: this.code,
      phase: this.#phase,
      total: this.#opts.questions.length,
      leaderboard: this.leaderboard(),
    };
    if (this.#phase === 'question') {
      snap.question = this.#questionView();
      snap.progress = this.#progress();
    }
    if (this.#phase === 'reveal') {
      snap.question = this.#questionView();
      snap.reveal = this.#revealView();
    }
    if (this.#phase === 'finished') snap.stats = this.#allStats();
    const player = playerId === undefined ? undefined : this.#players.get(playerId);
    if (player) {
      snap.you = {
        id: player.id,
        name: player.name,
        score: player.score,
        answers: [...player.answers.values()].sort((a, b) => a.index - b.index),
      };
      const answer = player.answers.get(this.#index);
      if (answer) snap.you.answer = answer;
    }
    return snap;
  }

  /** Stops the game's timer; the game does nothing more on its own. */
  dispose(): void {
    this.#clearTimer();
  }

  // ---- internals ----------------------------------------------------------------------------

  #question(): Question {
    const q = this.#opts.questions[this.#index];
    if (!q) throw new GameError('NO_QUESTION');
    return q;
  }

  #openQuestion(index: number): void {
    this.#touch();
    this.#index = index;
    this.#phase = 'question';
    this.#openedAt = this.#opts.clock.now();
    this.#phaseEndsAt = this.#openedAt + this.#opts.questionTimeMs;
    this.#schedule(this.#opts.questionTimeMs, () => this.#closeQuestion());
    this.#opts.emit('question', this.#questionView());
  }

  #closeIfAllAnswered(): void {
    const { answered, expected } = this.#progress();
    if (expected > 0 && answered >= expected) this.#closeQuestion();
  }

  #closeQuestion(): void {
    if (this.#phase !== 'question') return;
    this.#phase = 'reveal';
    this.#phaseEndsAt = this.#opts.clock.now() + this.#opts.revealTimeMs;
    this.#schedule(this.#opts.revealTimeMs, () => this.#advance());
    this.#opts.emit('reveal', this.#revealView());
  }

  #advance(): void {
    if (this.#phase !== 'reveal') return;
    if (this.#index + 1 < this.#opts.questions.length) this.#openQuestion(this.#index + 1);
    else this.#finish();
  }

  #finish(): void {
    this.#clearTimer();
    this.#phase = 'finished';
    this.#opts.emit('finished', { leaderboard: this.leaderboard(), stats: this.#allStats() });
    this.#opts.onFinished?.();
  }

  #questionView(): QuestionView {
    const q = this.#question();
    return {
      index: this.#index,
      total: this.#opts.questions.length,
      text: q.text,
      choices: q.choices,
      durationMs: this.#opts.questionTimeMs,
      remainingMs: Math.max(0, this.#phaseEndsAt - this.#opts.clock.now()),
    };
  }

  #revealView(): RevealView {
    const { counts, fastest } = this.#stats(this.#index);
    return {
      index: this.#index,
      correctChoice: this.#question().answer,
      counts,
      ...(fastest ? { fastest } : {}),
      leaderboard: this.leaderboard(),
      nextInMs: Math.max(0, this.#phaseEndsAt - this.#opts.clock.now()),
    };
  }

  #stats(index: number): QuestionStats {
    const q = this.#opts.questions[index];
    if (!q) throw new GameError('NO_QUESTION');
    const answers: NamedAnswer[] = [];
    for (const p of this.#players.values()) {
      const answer = p.answers.get(index);
      if (answer) answers.push({ name: p.name, answer });
    }
    return questionStats(q, index, answers);
  }

  /** Stats of every question asked (all of them once the game is finished). */
  #allStats(): QuestionStats[] {
    const asked = Math.min(this.#index + 1, this.#opts.questions.length);
    return Array.from({ length: asked }, (_, i) => this.#stats(i));
  }

  /** Answers so far to the open question, out of the players connected now (or who answered). */
  #progress(): GameEvents['progress'] {
    let answered = 0;
    let expected = 0;
    for (const p of this.#players.values()) {
      const has = p.answers.has(this.#index);
      if (has) answered++;
      if (has || p.connections > 0) expected++;
    }
    return { index: this.#index, answered, expected };
  }

  #touch(): void {
    this.#lastActiveAt = this.#opts.clock.now();
  }

  #emitLeaderboard(): void {
    this.#opts.emit('leaderboard', { leaderboard: this.leaderboard() });
  }

  #schedule(ms: number, fn: () => void): void {
    this.#clearTimer();
    this.#timer = this.#opts.clock.setTimeout(() => {
      this.#timer = undefined;
      fn();
    }, ms);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#opts.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
