// The chat's browser page: plain HTML using the client the server serves at /smartsocket/client.js.

/** The page; `title` names the variant (http or https). */
export function chatPage(title: string): string {
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title}</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
  #log { border: 1px solid #888; min-height: 12rem; padding: .5rem; white-space: pre-wrap; }
  input, button { font: inherit; }
</style>
<h1>${title}</h1>
<form id="join"><input id="name" placeholder="your name" required> <input id="room" value="lobby" required> <button>Join</button></form>
<div id="log" aria-live="polite"></div>
<form id="say"><input id="text" placeholder="message" required> <button>Send</button></form>
<script src="/smartsocket/client.js"></script>
<script>
  const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
  const client = new SmartSocketClient(location.origin);
  client.on('said', (m) => log(m.from + ': ' + m.text));
  client.on('joined', (w) => log(w.name + ' joined ' + w.room));
  client.on('left', (w) => log(w.name + ' left ' + w.room));
  client.connect();
  document.getElementById('join').onsubmit = async (e) => {
    e.preventDefault();
    const req = { name: document.getElementById('name').value, room: document.getElementById('room').value };
    const { members } = await client.emitWithAck('join', req);
    log('in ' + req.room + ': ' + members.join(', '));
  };
  document.getElementById('say').onsubmit = (e) => {
    e.preventDefault();
    const input = document.getElementById('text');
    client.emit('say', { text: input.value }, (res) => res.ok || log('! ' + res.error));
    input.value = '';
  };
</script>
</html>
`;
}
