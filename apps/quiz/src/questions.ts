// The built-in questions, and a shuffled pick of them for each new game.
import { randomInt } from 'node:crypto';
import type { Question } from './game.js';

/** A dozen general-knowledge questions (with a nod to the protocol this demo runs on). */
export const builtInQuestions: readonly Question[] = [
  {
    text: 'What is the capital of Australia?',
    choices: ['Sydney', 'Melbourne', 'Canberra', 'Perth'],
    answer: 2,
  },
  {
    text: 'Which planet is known as the Red Planet?',
    choices: ['Venus', 'Mars', 'Jupiter', 'Mercury'],
    answer: 1,
  },
  { text: 'How many bits are in a byte?', choices: ['4', '8', '16', '32'], answer: 1 },
  {
    text: 'Which gas do plants take in for photosynthesis?',
    choices: ['Oxygen', 'Nitrogen', 'Carbon dioxide', 'Helium'],
    answer: 2,
  },
  {
    text: 'Who painted the Mona Lisa?',
    choices: ['Michelangelo', 'Leonardo da Vinci', 'Raphael', 'Caravaggio'],
    answer: 1,
  },
  {
    text: 'What does the "S" in HTTPS stand for?',
    choices: ['Simple', 'Secure', 'Socket', 'Server'],
    answer: 1,
  },
  {
    text: 'What is the largest ocean on Earth?',
    choices: ['Atlantic', 'Indian', 'Arctic', 'Pacific'],
    answer: 3,
  },
  {
    text: 'In what year did the first person walk on the Moon?',
    choices: ['1965', '1969', '1972', '1975'],
    answer: 1,
  },
  {
    text: 'Which WebSocket close code means "normal closure"?',
    choices: ['1000', '1001', '1006', '1011'],
    answer: 0,
  },
  { text: 'What is the chemical symbol for gold?', choices: ['Go', 'Gd', 'Au', 'Ag'], answer: 2 },
  { text: 'How many sides does a hexagon have?', choices: ['5', '6', '7', '8'], answer: 1 },
  {
    text: 'Which language runs natively in web browsers?',
    choices: ['Python', 'JavaScript', 'C#', 'Ruby'],
    answer: 1,
  },
];

/**
 * `count` questions from `pool` in random order (Fisher–Yates), never more than the pool holds.
 *
 * @example
 * const questions = pickQuestions(builtInQuestions, 8);
 */
export function pickQuestions(
  pool: readonly Question[],
  count: number,
  random: (max: number) => number = (max) => randomInt(max),
): Question[] {
  const copy = [...pool];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, Math.max(0, Math.min(count, copy.length)));
}
