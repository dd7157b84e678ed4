// Per-question statistics for the reveal and the results screen: answers per choice, how many
// were right, and the fastest correct answer.
import type { AnswerResult, Question, QuestionStats } from './game-types.js';

/** One player's answer to the question, with the name the stats show. */
export interface NamedAnswer {
  name: string;
  answer: AnswerResult;
}

/**
 * Statistics of question `index` from the answers given to it. Ties for the fastest answer go
 * to the first one listed (players are listed in join order).
 *
 * @example
 * questionStats(q, 0, [{ name: 'Ada', answer }]);
 * // { index: 0, text, choices, correctChoice, counts: [0, 1, 0], answered: 1, correct: 1,
 * //   fastest: { name: 'Ada', timeMs: 1200 } }
 */
export function questionStats(
  question: Question,
  index: number,
  answers: Iterable<NamedAnswer>,
): QuestionStats {
  const counts = question.choices.map(() => 0);
  let answered = 0;
  let correct = 0;
  let fastest: QuestionStats['fastest'];
  for (const { name, answer } of answers) {
    answered++;
    counts[answer.choice] = (counts[answer.choice] ?? 0) + 1;
    if (!answer.correct) continue;
    correct++;
    if (!fastest || answer.timeMs < fastest.timeMs) fastest = { name, timeMs: answer.timeMs };
  }
  return {
    index,
    text: question.text,
    choices: question.choices,
    correctChoice: question.answer,
    counts,
    answered,
    correct,
    ...(fastest ? { fastest } : {}),
  };
}
