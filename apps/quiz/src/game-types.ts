// The shapes the game shares with the quiz server and the page: questions, views, events, options.
import type { Clock } from './clock.js';

/** A multiple-choice question; `answer` is the index of the right choice. */
export interface Question {
  text: string;
  choices: readonly string[];
  answer: number;
}

export type Phase = 'lobby' | 'question' | 'reveal' | 'finished';

/** One row of the leaderboard (also the player list in the lobby). */
export interface LeaderboardEntry {
  id: string;
  name: string;
  score: number;
  /** 1 for the best score; equal scores share a rank. */
  rank: number;
  /** Whether the player has at least one live connection. */
  connected: boolean;
  /** How many questions the player answered right so far. */
  correct: number;
}

/** A question as players see it (no answer inside). */
export interface QuestionView {
  index: number;
  total: number;
  text: string;
  choices: readonly string[];
  durationMs: number;
  /** Time left when this view was made; clients count down from their own receipt time. */
  remainingMs: number;
}

/** The end of a question: the right choice, how many picked each choice, the standings. */
export interface RevealView {
  index: number;
  correctChoice: number;
  counts: number[];
  /** The fastest correct answer, when someone was right. */
  fastest?: { name: string; timeMs: number };
  leaderboard: LeaderboardEntry[];
  /** Time until the next question (or the end). */
  nextInMs: number;
}

/** A player's own answer to a question (the ack of `answer`). */
export interface AnswerResult {
  index: number;
  choice: number;
  correct: boolean;
  points: number;
  /** How long after the question opened the answer came, ms. */
  timeMs: number;
  /** The player's total after this answer. */
  score: number;
  correctChoice: number;
}

/** How one question went, for the results screen. */
export interface QuestionStats {
  index: number;
  text: string;
  choices: readonly string[];
  correctChoice: number;
  /** How many players picked each choice. */
  counts: number[];
  /** Players who answered at all. */
  answered: number;
  /** Players who answered right. */
  correct: number;
  /** The fastest correct answer, when someone was right. */
  fastest?: { name: string; timeMs: number };
}

/** Everything the room is told, by event name. */
export interface GameEvents {
  leaderboard: { leaderboard: LeaderboardEntry[] };
  question: QuestionView;
  progress: { index: number; answered: number; expected: number };
  reveal: RevealView;
  finished: { leaderboard: LeaderboardEntry[]; stats: QuestionStats[] };
}

export type GameEmit = <E extends keyof GameEvents>(event: E, data: GameEvents[E]) => void;

/** The whole state a (re)connecting page needs to draw itself. */
export interface GameSnapshot {
  code: string;
  phase: Phase;
  total: number;
  leaderboard: LeaderboardEntry[];
  question?: QuestionView;
  progress?: GameEvents['progress'];
  reveal?: RevealView;
  /** How every question went, once the game is finished. */
  stats?: QuestionStats[];
  /** The asking player's own state, when a player asked. */
  you?: {
    id: string;
    name: string;
    score: number;
    /** The answer to the current question, if given. */
    answer?: AnswerResult;
    /** Every answer given so far, by question order. */
    answers: AnswerResult[];
  };
}

export interface GameOptions {
  code: string;
  questions: readonly Question[];
  /** How long each question stays open. */
  questionTimeMs: number;
  /** How long the answer and standings are shown before the next question. */
  revealTimeMs: number;
  maxPlayers: number;
  clock: Clock;
  emit: GameEmit;
  /** Makes an unguessable token (player and host tokens). */
  newToken: () => string;
  /** Called once when the last question has been revealed. */
  onFinished?: () => void;
}
