// SmartSocket Quiz page: host and player views over one SmartSocketClient on namespace '/quiz'.
// The session (role + token) lives in localStorage, so a reload or a dropped network
// re-attaches to the running game and the server's copy of the score.
(() => {
  const STORE_KEY = 'smartsocket-quiz';
  const $ = (id) => document.getElementById(id);

  /** Everything the page draws from. */
  const state = {
    role: null, // 'host' | 'player' | null
    code: null,
    playerId: null,
    phase: null, // 'lobby' | 'question' | 'reveal' | 'finished'
    total: 0,
    leaderboard: [],
    question: null,
    questionSeenAt: 0,
    progress: null,
    reveal: null,
    myAnswer: null,
    pendingChoice: null,
    online: false,
  };

  // ---- session storage ---------------------------------------------------------------------

  const loadSession = () => {
    try {
      return JSON.parse(localStorage.getItem(STORE_KEY) || 'null');
    } catch {
      return null;
    }
  };
  const saveSession = (session) => localStorage.setItem(STORE_KEY, JSON.stringify(session));
  const clearSession = () => localStorage.removeItem(STORE_KEY);

  // ---- connection --------------------------------------------------------------------------

  const client = new SmartSocketClient(location.origin, {
    namespace: '/quiz',
    maxReconnectAttempts: Infinity,
    reconnectDelayMax: 5000,
  });

  /** emitWithAck that turns `{ error, code }` answers into a toast and returns null. */
  async function request(event, data) {
    try {
      const res = await client.emitWithAck(event, data, { timeout: 8000 });
      if (res && typeof res === 'object' && 'error' in res) {
        toast(res.error);
        return Object.assign(res, { failed: true });
      }
      return res;
    } catch (err) {
      toast(err?.message ? err.message : 'Request failed');
      return { failed: true, code: err?.code };
    }
  }

  function setStatus(kind, text) {
    const el = $('status');
    el.dataset.state = kind;
    el.textContent = text;
  }

  client.on('connected', async () => {
    setStatus('online', 'online');
    state.online = true;
    if (state.phase === 'question') render();
    const session = loadSession();
    if (!session) return;
    // Re-attach after a reload or reconnection: the server still has the game and the score.
    let res;
    try {
      res =
        session.role === 'host'
          ? await client.emitWithAck('host:resume', { hostToken: session.hostToken })
          : await client.emitWithAck('rejoin', { token: session.token });
    } catch {
      return; // the connection dropped again; the next 'connected' retries
    }
    if (res?.error) {
      clearSession();
      resetToHome();
      toast('That game is over or gone. Start or join a new one.');
      return;
    }
    enterGame(session.role, res);
  });
  client.on('disconnected', () => {
    setStatus('offline', 'reconnecting…');
    state.online = false;
    // No answering while offline: the answer could reach the server before the rejoin.
    if (state.phase === 'question') render();
  });
  client.on('reconnecting', (attempt) => setStatus('offline', `reconnecting (${attempt})…`));

  client.on('leaderboard', (d) => {
    state.leaderboard = d.leaderboard;
    renderBoard();
    if (state.phase === 'lobby') render();
  });
  client.on('question', (d) => {
    state.phase = 'question';
    state.question = d;
    state.questionSeenAt = performance.now();
    state.progress = null;
    state.reveal = null;
    state.myAnswer = null;
    state.pendingChoice = null;
    renderBoard();
    render();
  });
  client.on('progress', (d) => {
    state.progress = d;
    const el = $('progress');
    if (el) el.textContent = progressText();
  });
  client.on('reveal', (d) => {
    state.phase = 'reveal';
    state.reveal = d;
    state.leaderboard = d.leaderboard;
    renderBoard();
    render();
  });
  client.on('finished', (d) => {
    state.phase = 'finished';
    state.leaderboard = d.leaderboard;
    clearSession();
    renderBoard();
    render();
  });

  // ---- actions -----------------------------------------------------------------------------

  /** Applies a create/join/rejoin/resume ack: who we are and the game's snapshot. */
  function enterGame(role, res) {
    const g = res.game;
    state.role = role;
    state.code = res.code;
    state.playerId = res.playerId || null;
    state.phase = g.phase;
    state.total = g.total;
    state.leaderboard = g.leaderboard;
    state.question = g.question || null;
    state.questionSeenAt = performance.now();
    state.progress = g.progress || null;
    state.reveal = g.reveal || null;
    state.myAnswer = g.you?.answer || null;
    state.pendingChoice = null;
    if (role === 'host' && res.hostToken)
      saveSession({ role, code: res.code, hostToken: res.hostToken });
    if (role === 'player' && res.token) saveSession({ role, code: res.code, token: res.token });
    renderBoard();
    render();
  }

  async function hostGame() {
    const res = await request('create', {});
    if (!res.failed) enterGame('host', res);
  }

  async function joinGame(code, name) {
    const res = await request('join', { code, name });
    if (!res.failed) enterGame('player', res);
  }

  async function answer(choice) {
    if (state.pendingChoice !== null || state.myAnswer) return;
    state.pendingChoice = choice;
    render();
    const res = await request('answer', { index: state.question.index, choice });
    if (res.failed) {
      if (res.code !== 'ALREADY_ANSWERED') state.pendingChoice = null;
    } else if (state.question && res.index === state.question.index) {
      state.myAnswer = res;
    }
    render();
  }

  function resetToHome() {
    Object.assign(state, { role: null, code: null, playerId: null, phase: null, leaderboard: [] });
    renderBoard();
    render();
  }

  // ---- rendering ---------------------------------------------------------------------------

  /** Tiny element builder: text goes in as text, never as HTML. */
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'class') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v !== false && v != null) node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c != null) node.append(c);
    return node;
  }

  function toast(text) {
    const t = $('toast');
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => {
      t.hidden = true;
    }, 3500);
  }

  const me = () => state.leaderboard.find((e) => e.id === state.playerId);
  const progressText = () =>
    state.progress ? `${state.progress.answered} / ${state.progress.expected} answered` : '';

  function renderBoard() {
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

  let countdown = 0;
  function render() {
    cancelAnimationFrame(countdown);
    const screen = $('screen');
    let view;
    if (!state.role) view = homeView();
    else if (state.phase === 'lobby') view = lobbyView();
    else if (state.phase === 'question') view = questionView();
    else if (state.phase === 'reveal') view = revealView();
    else view = finishedView();
    screen.replaceChildren(view);
    if (state.phase === 'question') tick();
  }

  function homeView() {
    const frag = $('tpl-home').content.cloneNode(true);
    const codeInput = frag.querySelector('#join-code');
    const preset = new URLSearchParams(location.search).get('code');
    if (preset) codeInput.value = preset.toUpperCase();
    frag.querySelector('#join-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const form = ev.currentTarget;
      joinGame(form.code.value.trim().toUpperCase(), form.name.value);
    });
    frag.querySelector('#host-btn').addEventListener('click', hostGame);
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
              onclick: () => request('start', {}),
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
          onclick: () => answer(i),
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
            el(
              'button',
              { class: 'secondary', onclick: () => request('next', {}) },
              'End question now',
            ),
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
      const text = a
        ? a.correct
          ? `Correct! +${a.points} points`
          : 'Not quite this time.'
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
              { class: 'primary', onclick: () => request('next', {}) },
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
            onclick: () => {
              clearSession();
              history.replaceState(null, '', '/');
              resetToHome();
            },
          },
          state.role === 'host' ? 'Host another game' : 'Play again',
        ),
      ),
    );
  }

  // ---- start -------------------------------------------------------------------------------

  render();
  client.connect().catch((err) => {
    setStatus('offline', 'offline');
    toast(`Cannot reach the quiz server: ${err.message}`);
  });
})();
