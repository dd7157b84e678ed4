// The quiz page's views: picks the screen of the current phase (home, lobby, question, reveal,
// results), draws the leaderboard, and runs the on-screen countdowns. User text always goes in
// as text, never as HTML.
import { $, el } from './dom.js';
import { avatar, medal, shape } from './icons.js';
import { questionView, RING, revealView } from './play-views.js';
import { finishedView } from './results-view.js';

/**
 * Views over `state`; `actions` are the page's handlers
 * (`host`, `join(code, name)`, `start`, `next`, `answer(choice)`, `leave`).
 */
export function createViews(state, actions) {
  let frame = 0;
  let drawn = '';
  /** Each player's last score and when it changed, so a row that just scored flashes. */
  const scored = new Map();

  const me = () => state.leaderboard.find((e) => e.id === state.playerId);
  const progressText = () =>
    state.progress ? `${state.progress.answered} of ${state.progress.expected} answered` : '';
  const ctx = { state, actions, me, progressText };

  /** The view of the current phase, with its countdown running. */
  function screen() {
    cancelAnimationFrame(frame);
    let view;
    if (!state.role) view = homeView();
    else if (state.phase === 'lobby') view = lobbyView();
    else if (state.phase === 'question') view = questionView(ctx);
    else if (state.phase === 'reveal') view = revealView(ctx);
    else view = finishedView(ctx);
    // The entrance animation plays once per screen, not on every redraw of the same one.
    const key = `${state.role}:${state.phase}:${state.question?.index ?? ''}`;
    if (key !== drawn) view.classList.add('enter');
    drawn = key;
    $('screen').replaceChildren(view);
    // The host's lobby has the QR code beside the code: it gets a wider column.
    $('layout').classList.toggle('wide', state.role === 'host' && state.phase === 'lobby');
    tick();
  }

  /** Counts down from the time left when the phase reached us (no clock sync needed). */
  function tick() {
    let running = false;
    if (state.phase === 'question' && state.question) {
      const q = state.question;
      const left = Math.max(0, q.remainingMs - (performance.now() - state.phaseSeenAt));
      const ring = $('timer-ring');
      const secs = $('seconds');
      if (ring) ring.style.strokeDashoffset = String(RING * (1 - left / q.durationMs));
      if (secs) secs.textContent = String(Math.ceil(left / 1000));
      $('timer')?.classList.toggle('low', left <= 5000);
      running = left > 0;
    } else if (state.phase === 'reveal' && state.reveal) {
      const left = Math.max(0, state.reveal.nextInMs - (performance.now() - state.phaseSeenAt));
      const secs = $('next-in');
      if (secs) secs.textContent = String(Math.ceil(left / 1000));
      const bar = $('next-bar');
      if (bar) bar.style.transform = `scaleX(${left / Math.max(1, state.reveal.nextInMs)})`;
      running = left > 0;
    }
    if (running) frame = requestAnimationFrame(tick);
  }

  /** True for a score that changed in the last moment (a reveal often redraws right after). */
  function justScored(e) {
    const now = performance.now();
    const last = scored.get(e.id);
    if (!last || last.score !== e.score)
      scored.set(e.id, { score: e.score, at: last ? now : Number.NEGATIVE_INFINITY });
    return now - scored.get(e.id).at < 400;
  }

  function board() {
    const list = $('board-list');
    list.replaceChildren(
      ...state.leaderboard.map((e) =>
        el(
          'li',
          {
            class: [
              e.id === state.playerId ? 'me' : '',
              e.connected ? '' : 'away',
              justScored(e) ? 'bump' : '',
            ].join(' '),
          },
          // Medals once someone has scored: three golds for three zeros would say nothing.
          el('span', { class: 'rank' }, (e.score > 0 && medal(e.rank, 22)) || String(e.rank)),
          avatar(e.name, !e.connected),
          el(
            'span',
            { class: 'who' },
            e.name,
            e.id === state.playerId ? el('span', { class: 'tag' }, 'you') : null,
            e.connected ? null : el('span', { class: 'tag off' }, 'offline'),
          ),
          el('strong', { class: 'score' }, e.score.toLocaleString('en')),
        ),
      ),
    );
    // The lobby lists players already; the board appears once the game is on.
    const hidden = !state.role || state.phase === 'lobby' || state.leaderboard.length === 0;
    $('board').hidden = hidden;
    $('layout').classList.toggle('with-board', !hidden);
    const chip = $('game-code');
    chip.hidden = !state.code;
    chip.replaceChildren(
      ...(state.code ? [el('span', { class: 'chip-label' }, 'Game '), state.code] : []),
    );
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
    frag
      .querySelector('.hero-shapes')
      .append(...[0, 1, 2, 3].map((i) => el('span', { dataset: { i: String(i) } }, shape(i))));
    const wrap = el('div');
    wrap.append(frag);
    return wrap;
  }

  function playerChips() {
    if (state.leaderboard.length === 0)
      return el('p', { class: 'muted waiting' }, 'No players yet. Share the code!');
    return el(
      'ul',
      { class: 'players' },
      state.leaderboard.map((e) =>
        el(
          'li',
          { class: e.connected ? '' : 'away' },
          avatar(e.name, !e.connected),
          el('span', {}, e.name),
          e.connected ? null : el('span', { class: 'sr-only' }, ' (offline)'),
        ),
      ),
    );
  }

  function lobbyView() {
    const count = state.leaderboard.length;
    if (state.role === 'host') {
      const link = `${location.origin}/?code=${state.code}`;
      return el(
        'section',
        { class: 'card center lobby' },
        el(
          'div',
          { class: 'join-box' },
          el(
            'div',
            {},
            el('p', { class: 'eyebrow' }, 'Join at'),
            el(
              'a',
              { class: 'join-link', href: link, target: '_blank', rel: 'noopener' },
              link.replace(/^https?:\/\//, ''),
            ),
            el('p', { class: 'eyebrow' }, 'with the game code'),
            el('div', { class: 'big-code', id: 'lobby-code' }, state.code),
          ),
          // The server draws the QR code of the same link, from the address this page came from.
          el(
            'figure',
            { class: 'qr-box' },
            el('img', {
              class: 'qr',
              src: `/join-qr.svg?code=${encodeURIComponent(state.code)}`,
              alt: `QR code that opens the join link of game ${state.code}`,
              width: 168,
              height: 168,
            }),
            el('figcaption', {}, 'or scan to join'),
          ),
        ),
        el('h2', {}, count === 1 ? '1 player' : `${count} players`),
        playerChips(),
        el('p', { class: 'tip' }, 'Put this screen where everyone can see it.'),
        el(
          'div',
          { class: 'row' },
          el(
            'button',
            {
              class: 'primary big',
              id: 'start-btn',
              disabled: count === 0,
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
      { class: 'card center lobby' },
      you ? avatar(you.name) : null,
      el('h1', {}, `You're in${you ? `, ${you.name}` : ''}!`),
      el(
        'p',
        { class: 'muted waiting' },
        'Waiting for the host to start',
        el('span', { class: 'dots', 'aria-hidden': 'true' }, el('i'), el('i'), el('i')),
      ),
      el('h2', {}, count === 1 ? '1 player' : `${count} players`),
      playerChips(),
      el(
        'p',
        { class: 'tip' },
        el('strong', {}, 'Tip: '),
        'answer fast. A right answer is worth 1,000 points at once and 500 at the buzzer.',
      ),
    );
  }

  return { screen, board, progressText };
}
