// The two screens of a round: the open question (answer tiles, timer, progress) and the reveal
// (right answer, how the room answered, the countdown to the next question).
import { el, svg } from './dom.js';
import { check, shape } from './icons.js';

/** Circumference of the question timer's ring (r = 20). */
export const RING = 2 * Math.PI * 20;

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function questionHead(q, label) {
  return el(
    'div',
    { class: 'qhead' },
    el('span', { class: 'eyebrow' }, `Question ${q.index + 1} of ${q.total}`),
    label,
  );
}

/** The ring that empties as the question's time runs out; the number inside is the seconds left. */
function timer() {
  return el(
    'div',
    // Not announced every second: the screen around it is a live region.
    {
      class: 'timer',
      id: 'timer',
      role: 'timer',
      'aria-label': 'Seconds left',
      'aria-live': 'off',
    },
    svg(
      'svg',
      { viewBox: '0 0 48 48', 'aria-hidden': 'true', focusable: 'false' },
      svg('circle', { class: 'track', cx: 24, cy: 24, r: 20 }),
      svg('circle', {
        class: 'fill',
        id: 'timer-ring',
        cx: 24,
        cy: 24,
        r: 20,
        'stroke-dasharray': RING,
      }),
    ),
    el('span', { id: 'seconds' }, ''),
  );
}

/**
 * The open question. Players get buttons; the host sees the same tiles (not clickable), the
 * answer count and a button to close the question early.
 */
export function questionView({ state, actions, progressText }) {
  const q = state.question;
  const isPlayer = state.role === 'player';
  const chosen = state.myAnswer ? state.myAnswer.choice : state.pendingChoice;
  const tiles = q.choices.map((text, i) => {
    const cls = ['choice', chosen === i ? 'picked' : chosen !== null ? 'faded' : ''].join(' ');
    const body = [shape(i), el('span', { class: 'label' }, text)];
    if (!isPlayer) return el('div', { class: cls, dataset: { i: String(i % 4) } }, body);
    // The key that answers with this tile (shown where there is a keyboard).
    if (i < 9) body.push(el('kbd', { 'aria-hidden': 'true' }, String(i + 1)));
    return el(
      'button',
      {
        class: cls,
        type: 'button',
        dataset: { i: String(i % 4) },
        disabled: chosen !== null || !state.online,
        'aria-pressed': chosen === i ? 'true' : null,
        onclick: () => actions.answer(i),
      },
      body,
    );
  });
  let footer = null;
  if (isPlayer && state.myAnswer) {
    const a = state.myAnswer;
    footer = el(
      'div',
      { class: `feedback ${a.correct ? 'ok' : 'bad'}` },
      el('strong', {}, a.correct ? `Correct! +${a.points} points` : 'Not quite. 0 points'),
      el('span', {}, 'Waiting for the others…'),
    );
  } else if (isPlayer && chosen !== null) {
    footer = el('div', { class: 'feedback' }, el('strong', {}, 'Sending…'));
  } else if (isPlayer && !state.online) {
    footer = el('div', { class: 'feedback' }, el('strong', {}, 'Answer when you are back online'));
  }
  const answered = state.progress
    ? (100 * state.progress.answered) / Math.max(1, state.progress.expected)
    : 0;
  return el(
    'section',
    { class: 'card play' },
    questionHead(q, timer()),
    el('h1', { class: 'qtext' }, q.text),
    el('div', { class: 'choices' }, tiles),
    footer,
    state.role === 'host'
      ? el(
          'div',
          { class: 'host-row' },
          el(
            'div',
            { class: 'answered' },
            el('span', { id: 'progress' }, progressText() || 'Waiting for answers…'),
            el('div', { class: 'meter' }, el('div', { style: { width: `${answered}%` } })),
          ),
          el(
            'button',
            { class: 'secondary', id: 'end-btn', type: 'button', onclick: actions.next },
            'End question now',
          ),
        )
      : null,
  );
}

/** The reveal: right answer marked, answers per choice, your result, countdown to what's next. */
export function revealView({ state, actions, me }) {
  const r = state.reveal;
  const q = state.question;
  const a = state.myAnswer;
  const you = me();
  const last = q ? q.index + 1 >= q.total : false;
  const total = r.counts.reduce((n, c) => n + c, 0);
  const tiles = q
    ? q.choices.map((text, i) => {
        const right = i === r.correctChoice;
        const count = r.counts[i] || 0;
        const share = total > 0 ? count / total : 0;
        return el(
          'div',
          {
            class: ['choice', 'result', right ? 'correct' : 'wrong'].join(' '),
            dataset: { i: String(i % 4) },
          },
          el('span', { class: 'share', style: { transform: `scaleX(${share})` } }),
          right ? check() : shape(i),
          el(
            'span',
            { class: 'label' },
            text,
            right ? el('span', { class: 'sr-only' }, ' (right answer)') : null,
            a?.choice === i ? el('span', { class: 'mine' }, 'your answer') : null,
          ),
          el(
            'span',
            { class: 'count', 'aria-label': `${count} ${count === 1 ? 'answer' : 'answers'}` },
            String(count),
          ),
        );
      })
    : [];
  let verdict = null;
  if (state.role === 'player') {
    // The last answer closes the question, so the reveal can arrive just before its ack.
    const text = a
      ? a.correct
        ? `Correct! +${a.points} points`
        : 'Not quite this time.'
      : state.pendingChoice !== null
        ? 'Checking your answer…'
        : 'No answer this time.';
    verdict = el(
      'div',
      { class: `feedback ${a?.correct ? 'ok' : 'bad'}` },
      el('strong', {}, text),
      you ? el('span', {}, `You are #${you.rank} with ${you.score} points`) : null,
    );
  }
  const fastest = r.fastest
    ? el(
        'p',
        { class: 'fastest' },
        'Fastest right answer: ',
        el('strong', {}, r.fastest.name),
        ` in ${seconds(r.fastest.timeMs)}`,
      )
    : el('p', { class: 'fastest' }, total > 0 ? 'Nobody got this one.' : 'Nobody answered.');
  return el(
    'section',
    { class: 'card play' },
    q ? questionHead(q, el('span', { class: 'pill' }, 'Answer')) : null,
    q ? el('h1', { class: 'qtext' }, q.text) : null,
    el('div', { class: 'choices' }, tiles),
    verdict,
    fastest,
    el(
      'div',
      { class: 'next' },
      el(
        'p',
        { class: 'next-text', 'aria-live': 'off' },
        last ? 'Results in ' : 'Next question in ',
        el('strong', { id: 'next-in' }, ''),
        ' s',
      ),
      el('div', { class: 'next-track', 'aria-hidden': 'true' }, el('div', { id: 'next-bar' })),
      state.role === 'host'
        ? el(
            'button',
            { class: 'primary', id: 'next-btn', type: 'button', onclick: actions.next },
            last ? 'Show the results' : 'Next question',
          )
        : null,
    ),
  );
}
