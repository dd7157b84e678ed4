// The dashboard's one self-contained HTML page (inline CSS and script, no external asset) and its CSP.
import { createHash } from 'node:crypto';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';

// Light and dark themes; every text/background pair meets WCAG AA (4.5:1, 3:1 for large text
// and chart lines). In and out are told apart by line style and label, not by colour alone.
const STYLE = `
:root{color-scheme:light dark;--bg:#f3f5f8;--card:#fff;--text:#161a21;--muted:#4a5263;--line:#d5dae3;
--accent:#0a58a8;--in:#0a62c2;--out:#a64200;--ok:#12703a;--warn:#8f4a00;--bad:#b3261e;--chip:#e8edf5;
--focus:#0a58a8;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#0e1116;--card:#171b22;--text:#e9ecf2;--muted:#a7afbf;
--line:#2e3541;--accent:#7ab8ff;--in:#6cb4ff;--out:#ffa05a;--ok:#5fd38d;--warn:#ffb35c;--bad:#ff8a80;
--chip:#242a35;--focus:#9ccaff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text)}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.75rem clamp(1rem,3vw,2rem);
background:var(--card);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:1}
h1{font-size:1.15rem;margin:0;display:flex;align-items:center;gap:.5rem}
h1 svg{flex:none}
h2{font-size:1rem;margin:0 0 .75rem}
.meta{color:var(--muted);font-size:.875rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin-left:auto;align-items:center}
.pill{display:inline-flex;align-items:center;gap:.35rem;font-weight:600;color:var(--text)}
.pill::before{content:"";width:.6rem;height:.6rem;border-radius:50%;background:var(--muted)}
.pill[data-state=live]::before{background:var(--ok)}
.pill[data-state=error]::before{background:var(--bad)}
.pill[data-state=paused]::before{background:var(--warn)}
main{padding:1rem clamp(1rem,3vw,2rem) 2rem;max-width:1400px;margin:0 auto;display:grid;gap:1rem}
section,.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.75rem;padding:0;border:0;background:none}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.75rem .9rem}
.tile dt{color:var(--muted);font-size:.8125rem}
.tile dd{margin:.15rem 0 0;font-size:1.6rem;font-weight:650;font-variant-numeric:tabular-nums;line-height:1.2}
.tile small{display:block;color:var(--muted);font-size:.8125rem;font-weight:400}
.tile.alert dd{color:var(--bad)}
.grid2{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr))}
figure{margin:0}
figcaption{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem .75rem;margin-bottom:.5rem}
figcaption b{font-size:1rem}
.legend{display:flex;gap:1rem;color:var(--muted);font-size:.8125rem;align-items:center}
.legend span{display:inline-flex;align-items:center;gap:.35rem}
.legend svg{flex:none}
.chart{position:relative;padding-left:3.25rem}
.chart svg{display:block;width:100%;height:9rem;border-left:1px solid var(--line);border-bottom:1px solid var(--line)}
.chart .y{position:absolute;left:0;width:3rem;text-align:right;font-size:.75rem;color:var(--muted);font-variant-numeric:tabular-nums}
.chart .top{top:0}
.chart .mid{top:calc(4.5rem - .55em)}
.chart .bottom{top:calc(9rem - 1.1em)}
.chart .x{display:flex;justify-content:space-between;font-size:.75rem;color:var(--muted)}
.grid{stroke:var(--line);stroke-width:1;vector-effect:non-scaling-stroke}
.l-in{fill:none;stroke:var(--in);stroke-width:2.25;vector-effect:non-scaling-stroke;stroke-linejoin:round}
.a-in{fill:var(--in);opacity:.12;stroke:none}
.l-out{fill:none;stroke:var(--out);stroke-width:2.25;stroke-dasharray:6 4;vector-effect:non-scaling-stroke;stroke-linejoin:round}
.bars{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
.bars li{display:grid;grid-template-columns:minmax(6rem,1fr) 3.5rem;gap:.2rem .5rem;align-items:center}
.bars .name{overflow-wrap:anywhere}
.bars .n{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.bars .bar{grid-column:1/-1;height:.4rem;background:var(--chip);border-radius:4px;overflow:hidden}
.bars .bar i{display:block;height:100%;background:var(--accent);border-radius:4px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.875rem}
caption{text-align:left;color:var(--muted);padding-bottom:.5rem;font-size:.8125rem}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:.8125rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:.8125rem/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.chip{display:inline-block;background:var(--chip);border-radius:4px;padding:0 .35rem;margin:0 .2rem .2rem 0;overflow-wrap:anywhere}
.badge{display:inline-block;font-size:.75rem;font-weight:700;color:var(--warn);margin-left:.3rem}
.empty{color:var(--muted)}
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;justify-content:space-between;margin-bottom:.5rem}
label{display:block;font-size:.8125rem;color:var(--muted);margin-bottom:.2rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:end}
.filters select,.filters input{height:2.5rem}
select{font:inherit;color:var(--text);background:var(--bg);border:1px solid var(--muted);border-radius:6px;padding:.45rem .6rem;max-width:14rem}
input{font:inherit;color:var(--text);background:var(--bg);border:1px solid var(--muted);border-radius:6px;padding:.45rem .6rem;min-width:0;width:min(22rem,100%)}
button{font:inherit;font-weight:600;border-radius:6px;border:1px solid var(--accent);background:var(--card);color:var(--accent);padding:.4rem .8rem;cursor:pointer;min-height:2.25rem}
button.primary{background:var(--accent);color:var(--card)}
button.danger{border-color:var(--bad);color:var(--bad)}
button.danger:hover{background:var(--bad);color:var(--card)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.unlock{max-width:32rem;margin:2rem auto}
.unlock form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
.unlock p{color:var(--muted)}
.error{color:var(--bad);font-weight:600}
[hidden]{display:none!important}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:40rem){
header{position:static}
.meta{margin-left:0}
.tile dd{font-size:1.3rem}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack tr{border:1px solid var(--line);border-radius:8px;margin-bottom:.6rem;padding:.35rem .2rem}
table.stack caption{display:block}
.tiles{grid-template-columns:repeat(2,minmax(0,1fr))}
table.stack td{border:0;display:grid;grid-template-columns:6.5rem minmax(0,1fr);gap:.5rem;padding:.25rem .5rem;text-align:left}
table.stack td::before{content:attr(data-label);color:var(--muted);font-size:.8125rem}
table.stack td.num{text-align:left}
}`;

const LOGO = `<svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect width="32" height="32" rx="8" fill="#0a58a8"/><path d="M21.5 11.5c-.6-1.6-2.3-2.5-4.6-2.5h-1.3c-2.9 0-4.8 1.4-4.8 3.6 0 2 1.4 3 4 3.5l2.6.5c2.6.5 4 1.5 4 3.5 0 2.3-2 3.9-5.1 3.9h-1.5c-2.5 0-4.3-1-4.9-2.7" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/></svg>`;

const FAVICON = `data:image/svg+xml,${encodeURIComponent(LOGO.replace(' aria-hidden="true" focusable="false"', ' xmlns="http://www.w3.org/2000/svg"'))}`;

/** A tile: label, big number (element id), optional small line. */
function tile(label: string, id: string, sub = ''): string {
  return `<div class="tile" id="t-${id}"><dt>${label}</dt><dd><span id="${id}">–</span>${sub ? `<small id="${id}-sub">${sub}</small>` : ''}</dd></div>`;
}

/** A chart figure: two polylines (in solid, out dashed) drawn by the script. */
function chart(id: string, title: string): string {
  const swatch = (cls: string) =>
    `<svg width="24" height="8" aria-hidden="true" focusable="false"><line class="${cls}" x1="0" y1="4" x2="24" y2="4"/></svg>`;
  return `<figure class="card"><figcaption><b id="${id}-title">${title}</b><span class="legend"><span>${swatch('l-in')}In</span><span>${swatch('l-out')}Out</span></span></figcaption>
<div class="chart"><span class="y top" id="${id}-max">0</span><span class="y mid" id="${id}-mid">0</span><span class="y bottom">0</span>
<svg id="${id}" viewBox="0 0 600 100" preserveAspectRatio="none" role="img" aria-labelledby="${id}-title ${id}-desc"><desc id="${id}-desc">Collecting samples</desc>
<line class="grid" x1="0" y1="50" x2="600" y2="50"/><polygon class="a-in" points=""/><polyline class="l-in" points=""/><polyline class="l-out" points=""/></svg>
<div class="x" aria-hidden="true"><span>60 s ago</span><span>now</span></div></div></figure>`;
}

function escapeAttribute(value: string): string {
  return value.replace(
    /[&"<>]/g,
    (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c] as string,
  );
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/**
 * The page's Content-Security-Policy: nothing may load but its own inline style and script
 * (by hash) and requests to its own origin, and no other site may frame it.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${sha256(DASHBOARD_SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The dashboard page for a server whose dashboard API lives under `apiBase`
 * (e.g. `/smartsocket/dashboard/api`).
 *
 * @example
 * res.end(renderDashboardPage('/smartsocket/dashboard/api'));
 */
export function renderDashboardPage(apiBase: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>SmartSocket dashboard</title>
<link rel="icon" href="${FAVICON}"><style>${STYLE}</style></head>
<body data-api="${escapeAttribute(apiBase)}">
<header><h1>${LOGO}SmartSocket dashboard</h1>
<div class="meta"><span class="pill" id="status" data-state="idle">Connecting…</span><span id="updated"></span><span id="uptime-wrap" hidden>Uptime <b id="uptime">–</b></span><button type="button" id="pause" aria-pressed="false">Pause updates</button><button type="button" id="forget" hidden>Forget token</button></div></header>
<div id="announce" class="sr" aria-live="polite"></div>
<section class="unlock" id="unlock" hidden aria-labelledby="unlock-title"><h2 id="unlock-title">This dashboard needs the metrics token</h2>
<p>The server was started with a metrics token. Enter it to see live numbers; it is kept in this tab only (session storage) and sent as a Bearer token.</p>
<form id="unlock-form"><div><label for="token">Metrics token</label><input id="token" type="password" autocomplete="current-password" required></div><button class="primary" type="submit">Unlock</button></form>
<p id="unlock-error" class="error" role="alert"></p></section>
<main id="main" hidden>
<h2 class="sr">Summary</h2>
<dl class="tiles">
${tile('Connections', 'm-connections', 'peak – · total –')}
${tile('Messages in / s', 'm-msg-in')}
${tile('Messages out / s', 'm-msg-out')}
${tile('Bytes in / s', 'm-bytes-in')}
${tile('Bytes out / s', 'm-bytes-out')}
${tile('Heartbeat latency', 'm-latency', 'mean, last minute')}
${tile('Rate-limit refusals', 'm-rate-limited', 'events refused')}
${tile('Dropped messages', 'm-dropped', 'under backpressure')}
${tile('Slow consumers', 'm-slow', 'cut off')}
${tile('Refused connections', 'm-rejected', 'at admission')}
</dl>
<div class="grid2">${chart('c-messages', 'Messages per second')}${chart('c-bytes', 'Bytes per second')}</div>
<div class="grid2">
<section aria-labelledby="h-transport"><h2 id="h-transport">Connections by transport</h2><ul class="bars" id="transports"></ul></section>
<section aria-labelledby="h-namespaces"><h2 id="h-namespaces">Connections by namespace</h2><ul class="bars" id="namespaces"></ul></section>
</div>
<section aria-labelledby="h-rooms"><h2 id="h-rooms">Rooms</h2><div class="scroll" tabindex="0" role="region" aria-label="Rooms table">
<table><caption id="rooms-caption">No rooms</caption><thead><tr><th scope="col">Room</th><th scope="col">Namespace</th><th scope="col" class="num">Sockets</th></tr></thead><tbody id="rooms"></tbody></table></div></section>
<section aria-labelledby="h-sockets"><div class="toolbar"><h2 id="h-sockets">Sockets</h2>
<form id="search-form" role="search" class="filters"><div><label for="namespace">Namespace</label><select id="namespace"><option value="">All namespaces</option></select></div><div><label for="search">Search by socket id</label><input id="search" type="search" autocomplete="off" spellcheck="false" maxlength="64" placeholder="e.g. 3f2a"></div></form></div>
<div class="scroll" tabindex="0" role="region" aria-label="Sockets table"><table class="stack"><caption id="sockets-caption">No sockets</caption><thead><tr><th scope="col">Socket id</th><th scope="col">Namespace</th><th scope="col">Address</th><th scope="col">Transport</th><th scope="col">Rooms</th><th scope="col" class="num">Buffered</th><th scope="col" class="num">Latency</th><th scope="col"><span id="action-head">Action</span></th></tr></thead><tbody id="sockets"></tbody></table></div></section>
</main>
<noscript><p class="unlock">This dashboard needs JavaScript.</p></noscript>
<script>${DASHBOARD_SCRIPT}</script>
</body></html>`;
}
