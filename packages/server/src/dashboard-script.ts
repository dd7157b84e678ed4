// The dashboard page's browser script (plain ES2020, inlined in the page): polling, sockets, actions.
import { DASHBOARD_VIEW_SCRIPT } from './dashboard-view-script.js';

// Polling, the token, the socket list and the disconnect action; uses the view helpers' names.
const APP_SCRIPT = String.raw`
  var API = document.body.getAttribute('data-api');
  var KEY = 'smartsocket.dashboard.token';
  var POLL_MS = 1000;
  var token = null;
  try { token = sessionStorage.getItem(KEY); } catch (e) { token = null; }
  var prev = null;
  var series = { msgIn: [], msgOut: [], bytesIn: [], bytesOut: [] };
  var tick = 0;
  var timer = 0;
  var canDisconnect = false;
  var query = '';
  var namespace = '';
  var paused = false;
  var rows = new Map();
  var socketsDue = true;

  function request(path, method) {
    var headers = { accept: 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(API + path, { method: method || 'GET', headers: headers, cache: 'no-store', credentials: 'omit' })
      .then(function (res) {
        if (!res.ok) { var err = new Error('HTTP ' + res.status); err.status = res.status; throw err; }
        return res.json();
      });
  }

  function renderOverview(d) {
    canDisconnect = d.canDisconnect === true;
    var c = d.connections, t = d.traffic, r = d.refusals;
    text('m-connections', fmtNum(c.active));
    text('m-connections-sub', 'peak ' + fmtNum(c.peak) + ' · total ' + fmtNum(c.total));
    text('m-latency', fmtMs(d.latency.average));
    text('m-rate-limited', fmtNum(r.rateLimited));
    text('m-dropped', fmtNum(r.dropped));
    text('m-slow', fmtNum(r.slowConsumers));
    text('m-rejected', fmtNum(r.rejectedConnections));
    $('t-m-slow').classList.toggle('alert', r.slowConsumers > 0);
    text('uptime', fmtUptime(d.uptime));
    $('uptime-wrap').hidden = false;
    text('updated', 'Updated ' + new Date(d.time).toLocaleTimeString());
    if (prev && d.time > prev.time) {
      var dt = (d.time - prev.time) / 1000;
      push(series.msgIn, Math.max(0, (t.messagesIn - prev.traffic.messagesIn) / dt));
      push(series.msgOut, Math.max(0, (t.messagesOut - prev.traffic.messagesOut) / dt));
      push(series.bytesIn, Math.max(0, (t.bytesIn - prev.traffic.bytesIn) / dt));
      push(series.bytesOut, Math.max(0, (t.bytesOut - prev.traffic.bytesOut) / dt));
      var last = series.msgIn.length - 1;
      text('m-msg-in', fmtNum(series.msgIn[last]));
      text('m-msg-out', fmtNum(series.msgOut[last]));
      text('m-bytes-in', fmtBytes(series.bytesIn[last]));
      text('m-bytes-out', fmtBytes(series.bytesOut[last]));
    }
    prev = d;
    draw('c-messages', series.msgIn, series.msgOut, fmtNum, 'messages per second');
    draw('c-bytes', series.bytesIn, series.bytesOut, fmtBytes, 'bytes per second');
    bars('transports', Object.keys(c.byTransport).map(function (k) { return [k, c.byTransport[k]]; }), c.active, 'No connections');
    var ns = Object.keys(c.byNamespace).map(function (k) { return [k, c.byNamespace[k]]; });
    var nsTotal = ns.reduce(function (s, e) { return s + e[1]; }, 0);
    bars('namespaces', ns, nsTotal, 'No namespaces');
    renderRooms(d.rooms);
    namespaceOptions(Object.keys(c.byNamespace));
  }

  function namespaceOptions(names) {
    var select = $('namespace');
    var have = Array.prototype.slice.call(select.options, 1).map(function (o) { return o.value; });
    if (have.length === names.length && have.every(function (v, i) { return v === names[i]; })) return;
    select.replaceChildren(select.options[0]);
    names.forEach(function (name) { var o = el('option', '', name); o.value = name; select.appendChild(o); });
    select.value = names.indexOf(namespace) === -1 ? '' : namespace;
  }

  function renderRooms(rooms) {
    var body = $('rooms');
    body.replaceChildren();
    text('rooms-caption', rooms.total === 0 ? 'No rooms yet (a socket\u2019s own id room is not listed).'
      : rooms.list.length < rooms.total ? 'The ' + rooms.list.length + ' largest of ' + fmtNum(rooms.total) + ' rooms.'
      : fmtNum(rooms.total) + (rooms.total === 1 ? ' room.' : ' rooms, largest first.'));
    rooms.list.forEach(function (room) {
      var tr = el('tr');
      var name = el('td');
      name.appendChild(el('code', '', room.name));
      tr.appendChild(name);
      tr.appendChild(el('td', '', room.namespace));
      tr.appendChild(el('td', 'num', fmtNum(room.size)));
      body.appendChild(tr);
    });
  }

  // Each cell holds one span: the phone layout turns cells into label/value grids.
  function cell(tr, label, cls) {
    var td = el('td', cls);
    td.setAttribute('data-label', label);
    tr.appendChild(td);
    return td.appendChild(el('span'));
  }

  function socketRow(s) {
    var tr = el('tr');
    tr.setAttribute('data-id', s.id);
    cell(tr, 'Socket id').appendChild(el('code', '', s.id));
    cell(tr, 'Namespace');
    cell(tr, 'Address');
    cell(tr, 'Transport');
    cell(tr, 'Rooms');
    cell(tr, 'Buffered', 'num');
    cell(tr, 'Latency', 'num');
    var action = cell(tr, 'Action');
    var button = el('button', 'danger', 'Disconnect');
    button.type = 'button';
    button.setAttribute('aria-label', 'Disconnect socket ' + s.id);
    button.addEventListener('click', function () { disconnect(s.id, button); });
    action.appendChild(button);
    return tr;
  }

  function updateRow(tr, s) {
    var cells = Array.prototype.map.call(tr.children, function (td) { return td.firstChild; });
    cells[1].textContent = s.namespace;
    cells[2].textContent = s.address || '–';
    cells[3].textContent = s.transport;
    var rooms = cells[4];
    rooms.replaceChildren();
    if (s.roomCount === 0) rooms.appendChild(el('span', 'empty', 'none'));
    s.rooms.forEach(function (room) { rooms.appendChild(el('span', 'chip', room)); });
    if (s.roomCount > s.rooms.length) rooms.appendChild(el('span', 'empty', '+' + (s.roomCount - s.rooms.length) + ' more'));
    cells[5].textContent = fmtBytes(s.bufferedBytes);
    if (s.slow) cells[5].appendChild(el('span', 'badge', 'slow'));
    cells[6].textContent = fmtMs(s.latency);
    tr.children[7].hidden = !canDisconnect;
  }

  function renderSockets(d) {
    var body = $('sockets');
    var seen = new Set();
    $('action-head').parentElement.hidden = !canDisconnect;
    d.sockets.forEach(function (s, i) {
      seen.add(s.id);
      var tr = rows.get(s.id);
      if (!tr) { tr = socketRow(s); rows.set(s.id, tr); }
      updateRow(tr, s);
      if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] || null);
    });
    rows.forEach(function (tr, id) { if (!seen.has(id)) { tr.remove(); rows.delete(id); } });
    var what = (query ? ' matching \u201c' + query + '\u201d' : '') + (namespace ? ' in ' + namespace : '');
    text('sockets-caption', d.matched === 0 ? (what ? 'No sockets' + what + '.' : 'No sockets connected.')
      : d.sockets.length < d.matched ? 'The first ' + d.sockets.length + ' of ' + fmtNum(d.matched) + ' sockets' + what + '. Search by id to find others.'
      : fmtNum(d.matched) + (d.matched === 1 ? ' socket' : ' sockets') + what + '.');
  }

  function loadSockets() {
    socketsDue = false;
    var filter = '/sockets?limit=200&q=' + encodeURIComponent(query);
    if (namespace) filter += '&namespace=' + encodeURIComponent(namespace);
    return request(filter).then(renderSockets);
  }

  function disconnect(id, button) {
    if (!window.confirm('Disconnect socket ' + id + '? The client is told not to reconnect.')) return;
    button.disabled = true;
    request('/sockets/' + encodeURIComponent(id) + '/disconnect', 'POST').then(function () {
      var tr = rows.get(id);
      if (tr) { tr.remove(); rows.delete(id); }
      announce('Disconnected socket ' + id + '.');
      socketsDue = true;
    }, function (err) {
      button.disabled = false;
      announce(err.status === 404 ? 'Socket ' + id + ' had already gone.' : 'Could not disconnect socket ' + id + ' (' + err.message + ').');
    });
  }

  function schedule(ms) { clearTimeout(timer); timer = setTimeout(poll, ms === undefined ? POLL_MS : ms); }

  function poll() {
    var jobs = [request('/overview').then(renderOverview)];
    if (socketsDue || tick % 2 === 0) jobs.push(jobs[0].then(loadSockets));
    tick++;
    Promise.all(jobs).then(function () {
      if (paused) return;
      setStatus('live', 'Live');
      schedule();
    }, function (err) {
      if (err && err.status === 401) { lock(token ? 'That token was not accepted.' : ''); return; }
      if (paused) return;
      setStatus('error', 'Server unreachable, retrying');
      schedule(POLL_MS * 3);
    });
  }

  function lock(message) {
    clearTimeout(timer);
    setStatus('idle', 'Locked');
    $('main').hidden = true;
    $('unlock').hidden = false;
    $('forget').hidden = true;
    $('pause').hidden = true;
    $('uptime-wrap').hidden = true;
    text('updated', '');
    text('unlock-error', message);
    $('token').focus();
  }

  function unlock() {
    $('unlock').hidden = true;
    $('main').hidden = false;
    $('forget').hidden = !token;
    $('pause').hidden = false;
    prev = null;
    socketsDue = true;
    poll();
  }

  $('unlock-form').addEventListener('submit', function (e) {
    e.preventDefault();
    token = $('token').value.trim();
    $('token').value = '';
    try { sessionStorage.setItem(KEY, token); } catch (err) { /* private mode: keep it in memory */ }
    unlock();
  });
  $('forget').addEventListener('click', function () {
    token = null;
    try { sessionStorage.removeItem(KEY); } catch (err) { /* nothing stored */ }
    lock('');
  });
  var debounce = 0;
  $('search').addEventListener('input', function () {
    clearTimeout(debounce);
    debounce = setTimeout(function () {
      query = $('search').value.trim().toLowerCase().slice(0, 64);
      loadSockets().catch(function () { socketsDue = true; });
    }, 250);
  });
  $('search-form').addEventListener('submit', function (e) { e.preventDefault(); });
  $('namespace').addEventListener('change', function () {
    namespace = $('namespace').value;
    loadSockets().catch(function () { socketsDue = true; });
  });
  // Numbers that update by themselves can be paused (WCAG 2.2.2), e.g. to read the socket list.
  $('pause').addEventListener('click', function () {
    paused = !paused;
    $('pause').setAttribute('aria-pressed', String(paused));
    text('pause', paused ? 'Resume updates' : 'Pause updates');
    if (paused) { clearTimeout(timer); setStatus('paused', 'Paused'); }
    else { prev = null; poll(); }
  });
  unlock();
`;

/**
 * Runs in the browser. It polls `{api}/overview` every second (the per-second rates are the
 * differences between two polls of the server's counters) and `{api}/sockets` every two, sends
 * the metrics token from session storage as a Bearer token, and writes every server-supplied
 * string with `textContent`, never as HTML (room names, ids and addresses come from clients).
 */
export const DASHBOARD_SCRIPT = `(function () {\n  'use strict';\n${DASHBOARD_VIEW_SCRIPT}\n${APP_SCRIPT}})();\n`;
