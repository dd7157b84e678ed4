// SmartSocket Quiz page: host and player views over one SmartSocketClient on namespace '/quiz'.
// The session (role + token) lives in localStorage, so a reload or a dropped network
// re-attaches to the running game and the server's copy of the score.
import { $, toast } from './dom.js';
import { createViews } from './views.js';

const STORE_KEY = 'smartsocket-quiz';

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

/** emitWithAck that shows a refusal (`{ error, code }`) or failure as a toast and marks it `failed`. */
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

// A short drop is recovered by the server (same session, missed messages replayed): the page
// shows it only if it lasts.
const OFFLINE_GRACE_MS = 3000;
let offlineTimer;

client.on('connected', async () => {
  clearTimeout(offlineTimer);
  setStatus('online', 'online');
  $('status').dataset.recovered = String(client.recovered);
  const wasOffline = !state.online;
  state.online = true;
  if (state.phase === 'question' && wasOffline) render();
  // Recovered: the game, the countdown and the score never left; nothing to re-attach.
  if (client.recovered) return;
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
  clearTimeout(offlineTimer);
  offlineTimer = setTimeout(() => {
    setStatus('offline', 'reconnecting…');
    state.online = false;
    // No answering while offline: the answer could reach the server before the rejoin.
    if (state.phase === 'question') render();
  }, OFFLINE_GRACE_MS);
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
  if (el) el.textContent = views.progressText();
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

const views = createViews(state, {
  host: hostGame,
  join: joinGame,
  start: () => request('start', {}),
  next: () => request('next', {}),
  answer,
  leave: () => {
    clearSession();
    history.replaceState(null, '', '/');
    resetToHome();
  },
});
const render = () => views.screen();
const renderBoard = () => views.board();

// ---- start -------------------------------------------------------------------------------

render();
client.connect().catch((err) => {
  setStatus('offline', 'offline');
  toast(`Cannot reach the quiz server: ${err.message}`);
});
