// The dashboard script's view helpers (browser ES2020): DOM writes, number formats, SVG charts.

/**
 * The first part of the dashboard's browser script, sharing its function scope: `$`, `text` and
 * `el` write the DOM (text only, never HTML), `fmt*` format numbers, `draw` renders a two-line
 * SVG chart of the last 60 samples and `bars` a list of proportional bars.
 */
export const DASHBOARD_VIEW_SCRIPT = `
  var HISTORY = 60;
  var W = 600;
  var H = 100;
  var $ = function (id) { return document.getElementById(id); };
  var number = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

  function fmtNum(n) { return number.format(n); }
  function fmtBytes(n) {
    var units = ['B', 'KB', 'MB', 'GB', 'TB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? Math.round(n) : Math.round(n * 10) / 10) + ' ' + units[i];
  }
  function fmtMs(n) { return (n < 10 ? Math.round(n * 10) / 10 : Math.round(n)) + ' ms'; }
  function fmtUptime(ms) {
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
    if (d > 0) return d + 'd ' + h + 'h';
    if (h > 0) return h + 'h ' + (m < 10 ? '0' : '') + m + 'm';
    if (m > 0) return m + 'm ' + (s % 60) + 's';
    return (s % 60) + 's';
  }
  function text(id, value) { var el = $(id); if (el.textContent !== value) el.textContent = value; }
  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined) e.textContent = content;
    return e;
  }
  function announce(message) { $('announce').textContent = message; }
  function setStatus(state, label) { var s = $('status'); s.setAttribute('data-state', state); text('status', label); }

  function push(list, value) { list.push(value); if (list.length > HISTORY) list.shift(); }

  function draw(id, a, b, format, unit) {
    var svg = $(id);
    var max = 0;
    for (var i = 0; i < a.length; i++) max = Math.max(max, a[i], b[i]);
    var top = niceCeil(max);
    var lines = svg.querySelectorAll('polyline');
    var line = points(a, top);
    lines[0].setAttribute('points', line);
    lines[1].setAttribute('points', points(b, top));
    var first = line.split(' ')[0];
    svg.querySelector('polygon').setAttribute('points', a.length < 2 ? '' : line + ' ' + W + ',' + H + ' ' + (first ? first.split(',')[0] : 0) + ',' + H);
    text(id + '-max', format(top));
    text(id + '-mid', format(top / 2));
    var n = a.length;
    $(id + '-desc').textContent = n === 0 ? 'Collecting samples'
      : 'Last minute, ' + unit + ': now ' + format(a[n - 1]) + ' in and ' + format(b[n - 1]) + ' out; scale up to ' + format(top) + '.';
  }
  function niceCeil(v) {
    if (v <= 1) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }
  function points(list, top) {
    var out = [];
    var offset = HISTORY - list.length;
    for (var i = 0; i < list.length; i++) {
      var x = ((offset + i) / (HISTORY - 1)) * W;
      var y = H - (list[i] / top) * (H - 2) - 1;
      out.push(x.toFixed(1) + ',' + y.toFixed(1));
    }
    return out.join(' ');
  }

  function bars(id, entries, total, empty) {
    var list = $(id);
    list.replaceChildren();
    if (entries.length === 0) { list.appendChild(el('li', 'empty', empty)); return; }
    entries.forEach(function (entry) {
      var li = el('li');
      li.appendChild(el('span', 'name', entry[0]));
      li.appendChild(el('span', 'n', fmtNum(entry[1])));
      var bar = el('span', 'bar');
      bar.setAttribute('aria-hidden', 'true');
      var fill = el('i');
      fill.style.width = (total > 0 ? Math.round((entry[1] / total) * 100) : 0) + '%';
      bar.appendChild(fill);
      li.appendChild(bar);
      list.appendChild(li);
    });
  }
`;
