// The results screen: a podium for the top three, your own finish, and how each question went.
import { el } from './dom.js';
import { avatar, medal } from './icons.js';

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Second, first, third from left to right, like a real podium. */
function podium(leaderboard) {
  const top = leaderboard.slice(0, 3);
  const order = [top[1], top[0], top[2]].filter(Boolean);
  return el(
    'ol',
    { class: 'podium', 'aria-label': 'Podium' },
    order.map((e) =>
      el(
        'li',
        { class: `place p${Math.min(e.rank, 3)}`, dataset: { rank: String(e.rank) } },
        medal(e.rank, 40),
        avatar(e.name),
        el('span', { class: 'pname' }, e.name),
        el('span', { class: 'pscore' }, `${e.score.toLocaleString('en')} pts`),
        el('span', { class: 'step', 'aria-hidden': 'true' }, String(e.rank)),
      ),
    ),
  );
}

/** A player's own outcome of one question: right (with the points), wrong, or no answer. */
function yours(answer) {
  if (!answer) return el('span', { class: 'yours none' }, 'You: no answer');
  if (!answer.correct) return el('span', { class: 'yours bad' }, 'You: wrong');
  return el('span', { class: 'yours ok' }, `You: right, +${answer.points}`);
}

/** One row per question: the right answer, the share who got it, the fastest (and yours). */
function questionStats(stats, total, history) {
  return el(
    'ol',
    { class: 'qstats' },
    stats.map((s) => {
      const pct = s.answered > 0 ? Math.round((100 * s.correct) / Math.max(1, total)) : 0;
      return el(
        'li',
        {},
        el(
          'div',
          { class: 'qs-head' },
          el('span', { class: 'qs-num' }, `Q${s.index + 1}`),
          el('span', { class: 'qs-text' }, s.text),
          el('strong', { class: 'qs-pct' }, `${pct}%`),
        ),
        el(
          'div',
          { class: 'meter', 'aria-hidden': 'true' },
          el('div', { style: { width: `${pct}%` } }),
        ),
        el(
          'p',
          { class: 'qs-detail' },
          'Answer: ',
          el('strong', {}, s.choices[s.correctChoice] ?? ''),
          ` · ${s.correct} of ${total} right`,
          s.fastest ? ` · fastest ${s.fastest.name} (${seconds(s.fastest.timeMs)})` : '',
        ),
        history ? yours(history[s.index]) : null,
      );
    }),
  );
}

/** "Ada wins!", or "Ada and Bob share the win!" on a tie. */
function headline(leaderboard) {
  const winners = leaderboard.filter((e) => e.rank === 1).map((e) => e.name);
  if (winners.length === 0) return 'Game over';
  if (winners.length === 1) return `${winners[0]} wins!`;
  return `${winners.slice(0, -1).join(', ')} and ${winners.at(-1)} share the win!`;
}

/** The results screen; the full standings stay on the leaderboard beside it. */
export function finishedView({ state, actions, me }) {
  const you = me();
  const players = state.leaderboard.length;
  const stats = state.stats || [];
  let line = null;
  if (you) {
    const place = you.rank === 1 ? 'You won!' : `You finished #${you.rank} of ${players}`;
    line = el(
      'p',
      { class: 'you-line' },
      el('strong', {}, place),
      ` ${you.score.toLocaleString('en')} points, ${you.correct ?? 0} of ${stats.length} right.`,
    );
  }
  return el(
    'section',
    { class: 'card results' },
    el('p', { class: 'eyebrow center' }, 'Final results'),
    el('h1', { class: 'center' }, headline(state.leaderboard)),
    podium(state.leaderboard),
    line,
    stats.length ? el('h2', {}, 'Question by question') : null,
    stats.length
      ? questionStats(stats, players, state.role === 'player' ? state.history : null)
      : null,
    el(
      'div',
      { class: 'row' },
      el(
        'button',
        { class: 'primary big', id: 'again-btn', type: 'button', onclick: actions.leave },
        state.role === 'host' ? 'Host another game' : 'Play again',
      ),
    ),
  );
}
