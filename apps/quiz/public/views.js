// The quiz page's views: each screen (home, lobby, question, reveal, podium) and the
// leaderboard, drawn from the page state. User text always goes in as text, never as HTML.
import { $, el } from './dom.js';

/**
 * Views over `state`; `actions` are the page's handlers
 * (`host`, `join(code, name)`, `start`, `next`, `answer(choice)`, `leave`).
 */
export function createViews(state, actions) {
  let countdown = 0;

  /** The view of the current phase, with the countdown running during a question. */
  function screen() {
    cancelAnimationFrame(countdown);
    let view;
    if (!state.role) view = homeView();
    else if (state.phase === 'lobby') view = lobbyView();
    else if (state.phase === 'question') view = questionView();
    else if (state.phase === 'reveal') view = revealView();
    else view = finishedView();
    $('screen').replaceChildren(view);
    if (state.phase === 'question') tick();
  }

  const me = () => state.leaderboard.find((e) => e.id === state.playerId);
  const progressText = () =>
    state.progress ? `${state.progress.answered} / ${state.progress.expected} answered` : '';

  function board() {
    const list = $('board-list');
    list.replaceChildren(
      ...state.leaderboard.map((e) =>
        el(
          'li',
          { class: [e.id === state.playerId ? 'me' : '', e.connected ? '' : 'away'].join(' ') },
          el('span', { class: 'rank' }, `${e.rank}.`),
          el('span', {}, e.name),
          el('strong', {}, String(e.score)),
        ),
      ),
    );
    // The lobby lists players already; the board appears once the game is on.
    $('board').hidden = !state.role || state.phase === 'lobby' || state.leaderboard.length === 0;
    const chip = $('game-code');
    chip.hidden = !state.code;
    chip.textContent = state.code || '';
  }

  function homeView() {
    const frag = $('tpl-home').content.cloneNode(true);
    const codeInput = frag.querySelector('#join-code');
    const preset = new URLSearchParams(location.search).get('code');
    if (preset) codeInput.value = preset.toUpperCase();
    frag.querySelector('#join-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const form = ev.currentTarget;
      actions.join(form.code.value.trim().toUpperCase(), form.name.value);
    });
    frag.querySelector('#host-btn').addEventListener('click', actions.host);
    const wrap = el('div');
    wrap.append(frag);
    return wrap;
  }

  function playerChips() {
    if (state.leaderboard.length === 0) return el('p', { class: 'muted' }, 'No players yet.');
    return el(
      'ul',
      { class: 'players' },
      state.leaderboard.map((e) => el('li', { class: e.connected ? '' : 'away' }, e.name)),
    );
  }

  function lobbyView() {
    if (state.role === 'host') {
      const link = `${location.origin}/?code=${state.code}`;
      return el(
        'section',
        { class: 'card center' },
        el('p', { class: 'muted' }, 'Players join at'),
        el('p', {}, el('a', { href: link, target: '_blank' }, link)),
        el('p', { class: 'muted' }, 'with the code'),
        el('div', { class: 'big-code', id: 'lobby-code' }, state.code),
        el('h2', {}, `Players (${state.leaderboard.length})`),
        playerChips(),
        el(
          'div',
          { class: 'row' },
          el(
            'button',
            {
              class: 'primary',
              id: 'start-btn',
              disabled: state.leaderboard.length === 0,
              onclick: actions.start,
            },
            'Start the quiz',
          ),
        ),
      );
    }
    const you = me();
    return el(
      'section',
      { class: 'card center' },
      el('h1', {}, `You're in${you ? `, ${you.name}` : ''}!`),
      el('p', { class: 'muted' }, 'Waiting for the host to start…'),
      playerChips(),
    );
  }

  function questionHead() {
    const q = state.question;
    return el(
      'div',
      { class: 'qhead' },
      el('span', {}, `Question ${q.index + 1} / ${q.total}`),
      el('span', { id: 'seconds' }, ''),
    );
  }

  function questionView() {
    const q = state.question;
    const isPlayer = state.role === 'player';
    const chosen = state.myAnswer ? state.myAnswer.choice : state.pendingChoice;
    const buttons = q.choices.map((text, i) =>
      el(
        'button',
        {
          class: ['choice', chosen === i ? 'picked' : chosen !== null ? 'dim' : ''].join(' '),
          dataset: { i: String(i % 4) },
          disabled: !isPlayer || chosen !== null || !state.online,
          onclick: () => actions.answer(i),
        },
        text,
      ),
    );
    let feedback = null;
    if (isPlayer && state.myAnswer) {
      const a = state.myAnswer;
      feedback = el(
        'p',
        { class: `feedback ${a.correct ? 'ok' : 'bad'}` },
        a.correct ? `Correct! +${a.points} points` : 'Not quite. 0 points',
      );
    } else if (isPlayer && chosen !== null) {
      feedback = el('p', { class: 'feedback' }, 'Sending…');
    }
    return el(
      'section',
      { class: 'card' },
      questionHead(),
      el('div', { class: 'timer' }, el('div', { id: 'timer-bar' })),
      el('p', { class: 'qtext' }, q.text),
      el('div', { class: 'choices' }, buttons),
      feedback,
      state.role === 'host'
        ? el(
            'div',
            { class: 'row' },
            el('span', { id: 'progress', class: 'muted' }, progressText()),
            el('button', { class: 'secondary', onclick: actions.next }, 'End question now'),
          )
        : null,
    );
  }

  /** Counts down from the time left when the question reached us (no clock sync needed). */
  function tick() {
    const q = state.question;
    const left = Math.max(0, q.remainingMs - (performance.now() - state.questionSeenAt));
    const bar = $('timer-bar');
    const secs = $('seconds');
    if (bar) bar.style.width = `${(100 * left) / q.durationMs}%`;
    if (secs) secs.textContent = `${Math.ceil(left / 1000)} s`;
    if (left > 0) countdown = requestAnimationFrame(tick);
  }

  function revealView() {
    const r = state.reveal;
    const q = state.question;
    const a = state.myAnswer;
    const you = me();
    const last = q ? q.index + 1 >= q.total : false;
    const choices = q
      ? q.choices.map((text, i) =>
          el(
            'div',
            {
              class: ['choice', i === r.correctChoice ? 'correct' : 'dim'].join(' '),
              dataset: { i: String(i % 4) },
            },
            text,
            el('span', { class: 'count' }, String(r.counts[i] || 0)),
          ),
        )
      : [];
    let line = null;
    if (state.role === 'player') {
      // The last answer closes the question, so the reveal can arrive just before its ack.
      const text = a
        ? a.correct
          ? `Correct! +${a.points} points`
          : 'Not quite this time.'
        : state.pendingChoice !== null
          ? 'Checking your answer…'
          : 'No answer this time.';
      line = el('p', { class: `feedback ${a?.correct ? 'ok' : 'bad'}` }, text);
    }
    return el(
      'section',
      { class: 'card' },
      q ? questionHead() : null,
      q ? el('p', { class: 'qtext' }, q.text) : null,
      el('div', { class: 'choices' }, choices),
      line,
      you ? el('p', { class: 'center' }, `You are #${you.rank} with ${you.score} points`) : null,
      state.role === 'host'
        ? el(
            'div',
            { class: 'row' },
            el(
              'button',
              { class: 'primary', onclick: actions.next },
              last ? 'Show the results' : 'Next question',
            ),
          )
        : el(
            'p',
            { class: 'center muted' },
            last ? 'Results coming up…' : 'Next question coming up…',
          ),
    );
  }

  function finishedView() {
    const top = state.leaderboard.slice(0, 3);
    const medals = ['🥇', '🥈', '🥉'];
    const you = me();
    return el(
      'section',
      { class: 'card center' },
      el('h1', {}, 'Game over'),
      el(
        'div',
        { class: 'podium' },
        top.map((e, i) => el('p', {}, `${medals[i]} ${e.name} (${e.score})`)),
      ),
      you ? el('p', {}, `You finished #${you.rank} with ${you.score} points.`) : null,
      el(
        'div',
        { class: 'row' },
        el(
          'button',
          {
            class: 'primary',
            onclick: actions.leave,
          },
          state.role === 'host' ? 'Host another game' : 'Play again',
        ),
      ),
    );
  }

  return { screen, board, progressText };
}
