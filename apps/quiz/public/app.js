// SmartSocket Quiz page: host and player views over one SmartSocketClient on namespace '/quiz'.
// The session (role + token) lives in localStorage, so a reload or a dropped network
// re-attaches to the running game and the server's copy of the score.
import { $, el, toast } from './dom.js';
import { speaker } from './icons.js';
import { createSound } from './sound.js';
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
  /** When the current question or reveal reached us: its countdown runs from here. */
  phaseSeenAt: 0,
  progress: null,
  reveal: null,
  stats: null,
  myAnswer: null,
  /** Our own answers by question index, for the results screen. */
  history: {},
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
  const node = $('status');
  node.dataset.state = kind;
  node.textContent = text;
}

// A short drop is recovered by the server (same session, missed messages replayed): the page
// shows it only if it lasts.
const OFFLINE_GRACE_MS = 3000;
let offlineTimer;
/** Whether the "connection lost" state is showing (then "Back online" follows). */
let lostShown = false;

/** The bar under the header while the network is gone, and briefly once it is back. */
function banner(kind, text) {
  const node = $('net-banner');
  clearTimeout(banner.timer);
  node.dataset.state = kind;
  node.textContent = text;
  node.hidden = false;
  if (kind === 'back') banner.timer = setTimeout(() => (node.hidden = true), 2500);
}

client.on('connected', async (transport) => {
  clearTimeout(offlineTimer);
  setStatus('online', 'online');
  // 'websocket', or 'polling' behind a proxy that refuses WebSocket upgrades.
  $('status').title = transport ? `Connected over ${transport}` : '';
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
/** What the bar says while we are cut off: the device's own network, or just the connection. */
const lostText = (attempt) =>
  navigator.onLine === false
    ? 'You are offline. Waiting for the network…'
    : `Connection lost. Reconnecting…${attempt ? ` (attempt ${attempt})` : ''}`;

client.on('disconnected', () => {
  clearTimeout(offlineTimer);
  offlineTimer = setTimeout(() => showLost(), OFFLINE_GRACE_MS);
});
/** Shows the connection as lost: status, banner, and no answering meanwhile. */
function showLost(attempt) {
  lostShown = true;
  setStatus('offline', attempt ? 'reconnecting…' : 'offline');
  banner('lost', lostText(attempt));
  state.online = false;
  // No answering while offline: the answer could reach the server before the rejoin.
  if (state.phase === 'question') render();
}
client.on('reconnecting', (attempt) => {
  // Within the grace period nothing shows (the session is likely to be recovered).
  if (lostShown) showLost(attempt);
});
client.on('reconnected', () => {
  if (!lostShown) return;
  lostShown = false;
  banner('back', 'Back online');
});

// The browser knows at once when the device loses its network; the socket may only notice at
// its next missed heartbeat.
addEventListener('offline', () => {
  clearTimeout(offlineTimer);
  showLost();
});
addEventListener('online', () => {
  if (!client.connected) return banner('lost', lostText());
  // The connection lived through it: nothing to resume.
  lostShown = false;
  setStatus('online', 'online');
  banner('back', 'Back online');
  state.online = true;
  if (state.phase === 'question') render();
});

client.on('leaderboard', (d) => {
  state.leaderboard = d.leaderboard;
  renderBoard();
  if (state.phase === 'lobby') render();
});
client.on('question', (d) => {
  state.phase = 'question';
  state.question = d;
  state.phaseSeenAt = performance.now();
  state.progress = null;
  state.reveal = null;
  state.myAnswer = null;
  state.pendingChoice = null;
  sound.play('question');
  renderBoard();
  render();
});
client.on('progress', (d) => {
  state.progress = d;
  const node = $('progress');
  if (node) node.textContent = views.progressText();
  const meter = document.querySelector('.answered .meter > div');
  if (meter) meter.style.width = `${(100 * d.answered) / Math.max(1, d.expected)}%`;
});
client.on('reveal', (d) => {
  state.phase = 'reveal';
  state.reveal = d;
  state.phaseSeenAt = performance.now();
  state.leaderboard = d.leaderboard;
  renderBoard();
  render();
});
client.on('finished', (d) => {
  state.phase = 'finished';
  state.leaderboard = d.leaderboard;
  state.stats = d.stats;
  sound.play('finished');
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
  state.phaseSeenAt = performance.now();
  state.progress = g.progress || null;
  state.reveal = g.reveal || null;
  state.stats = g.stats || null;
  state.myAnswer = g.you?.answer || null;
  state.history = Object.fromEntries((g.you?.answers || []).map((a) => [a.index, a]));
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
    state.history[res.index] = res;
    sound.play(res.correct ? 'correct' : 'wrong');
  }
  render();
}

/** Keys 1–4 answer on a keyboard, like clicking the tile with that number. */
document.addEventListener('keydown', (ev) => {
  if (state.role !== 'player' || state.phase !== 'question' || !state.question || !state.online)
    return;
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.target instanceof HTMLInputElement) return;
  const choice = Number(ev.key) - 1;
  if (Number.isInteger(choice) && choice >= 0 && choice < state.question.choices.length)
    answer(choice);
});

function resetToHome() {
  Object.assign(state, { role: null, code: null, playerId: null, phase: null, leaderboard: [] });
  renderBoard();
  render();
}

// ---- sound (off until turned on) ---------------------------------------------------------

const sound = createSound();
function drawSoundButton() {
  const btn = $('sound-btn');
  btn.setAttribute('aria-pressed', String(sound.enabled));
  btn.title = sound.enabled ? 'Sound on' : 'Sound off';
  btn.replaceChildren(speaker(sound.enabled), el('span', { class: 'sr-only' }, 'Sound effects'));
}
$('sound-btn').addEventListener('click', () => {
  sound.set(!sound.enabled);
  drawSoundButton();
  sound.play('correct');
});
drawSoundButton();

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
