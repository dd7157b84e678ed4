// The standings: players by score, best first, equal scores sharing a rank, then by name.
import type { AnswerResult, LeaderboardEntry } from './game-types.js';

/** What the standings need to know about a player. */
export interface Standing {
  id: string;
  name: string;
  score: number;
  connections: number;
  answers: ReadonlyMap<number, AnswerResult>;
}

/**
 * Ranks `players`: 1 for the best score, ties share a rank (1, 1, 3), names break ties in order.
 *
 * @example
 * rankPlayers(players).map((e) => [e.name, e.rank]); // [['Ada', 1], ['Bob', 1], ['Cy', 3]]
 */
export function rankPlayers(players: Iterable<Standing>): LeaderboardEntry[] {
  const sorted = [...players].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  let rank = 0;
  let lastScore = Number.NaN;
  return sorted.map((p, i) => {
    if (p.score !== lastScore) rank = i + 1;
    lastScore = p.score;
    let correct = 0;
    for (const a of p.answers.values()) if (a.correct) correct++;
    return { id: p.id, name: p.name, score: p.score, rank, connected: p.connections > 0, correct };
  });
}
