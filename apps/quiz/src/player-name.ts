// Player names: what a typed name becomes, and which names are refused.
import { GameError } from './game-error.js';

const MAX_NAME_LENGTH = 20;

/** Trims, folds whitespace and drops control characters; throws NAME_INVALID when empty or long. */
export function normalizeName(raw: unknown): string {
  if (typeof raw !== 'string') throw new GameError('NAME_INVALID');
  const name = raw
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (name.length === 0 || [...name].length > MAX_NAME_LENGTH) throw new GameError('NAME_INVALID');
  return name;
}
