// Options of the quiz server: one interface, one defaults object, resolved once.
import { type Clock, systemClock } from './clock.js';
import type { Question } from './game.js';
import { builtInQuestions } from './questions.js';

export interface QuizOptions {
  /** Namespace the quiz runs in. @default '/quiz' */
  namespace: string;
  /** How long each question stays open, ms. @default 20000 */
  questionTimeMs: number;
  /** How long the answer and standings show before the next question, ms. @default 5000 */
  revealTimeMs: number;
  /** Questions per game, picked at random from `questions`. @default 10 */
  questionCount: number;
  /** The question pool. @default the dozen built-in questions */
  questions: readonly Question[];
  /** Keep the pool's order instead of shuffling (handy in tests). @default false */
  ordered: boolean;
  /** Players per game. @default 100 */
  maxPlayers: number;
  /** Games held at once. @default 1000 */
  maxGames: number;
  /** How long a finished game stays reachable, ms. @default 600000 */
  finishedTtlMs: number;
  /** A lobby untouched this long is dropped when another game is created, ms. @default 3600000 */
  idleLobbyTtlMs: number;
  /** Time source. @default the system clock */
  clock: Clock;
}

export const quizDefaults: QuizOptions = {
  namespace: '/quiz',
  questionTimeMs: 20_000,
  revealTimeMs: 5000,
  questionCount: 10,
  questions: builtInQuestions,
  ordered: false,
  maxPlayers: 100,
  maxGames: 1000,
  finishedTtlMs: 600_000,
  idleLobbyTtlMs: 3_600_000,
  clock: systemClock,
};

/** Merges `user` over the defaults and checks the numbers; throws a TypeError naming the option. */
export function resolveQuizOptions(user: Partial<QuizOptions> = {}): QuizOptions {
  const opts = { ...quizDefaults, ...user };
  for (const key of [
    'questionTimeMs',
    'revealTimeMs',
    'questionCount',
    'maxPlayers',
    'maxGames',
    'finishedTtlMs',
    'idleLobbyTtlMs',
  ] as const) {
    const value = opts[key];
    if (!Number.isFinite(value) || value < 0)
      throw new TypeError(`Invalid quiz option ${key}: ${value}`);
  }
  if (opts.questions.length === 0) throw new TypeError('Invalid quiz option questions: empty');
  return opts;
}
