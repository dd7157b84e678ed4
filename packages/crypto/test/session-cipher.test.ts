// Session keys: counter nonces refuse replays and reordering, directions and sessions do not
// open each other's sections, group sections are accepted only above the counter learned.
import { describe, expect, it } from 'vitest';
import {
  answerKey,
  counterNonce,
  decodeSessionNonce,
  encodeSessionNonce,
  groupKey,
  NonceKind,
  parseKey,
  randomSessionNonce,
  SequencedKey,
  SessionCipher,
} from '../src/index.js';
import { BACKENDS, codeOf, hex, keysFor, toHex } from './helpers.js';

const shared = parseKey(Buffer.alloc(32, 0x11).toString('base64'));
const aad = hex('0103400001');
const text = (s: string) => new TextEncoder().encode(s);

function pair(key = shared) {
  const nc = randomSessionNonce();
  const ns = randomSessionNonce();
  return {
    server: SessionCipher.forServer(key, nc, ns),
    client: SessionCipher.forClient(key, nc, ns),
  };
}

describe('SequencedKey', () => {
  it('seals under counters 1, 2, 3 with the nonce layout kind || 000000 || u64', () => {
    const out = new SequencedKey(shared, NonceKind.SERVER_TO_CLIENT);
    const a = out.seal(text('a'), aad);
    const b = out.seal(text('b'), aad);
    expect(toHex(a.subarray(0, 12))).toBe('020000000000000000000001');
    expect(toHex(b.subarray(0, 12))).toBe('020000000000000000000002');
    expect(toHex(counterNonce(3, 2 ** 40 + 5))).toBe('030000000000010000000005');
    expect(out.counter).toBe(2);
  });

  it('opens increasing counters (gaps allowed), refuses replays and older sections', async () => {
    const out = new SequencedKey(shared, NonceKind.CLIENT_TO_SERVER);
    const back = new SequencedKey(shared, NonceKind.CLIENT_TO_SERVER);
    const [s1, s2, s3, s4] = ['1', '2', '3', '4'].map((t) => out.seal(text(t), aad));
    expect(toHex(back.open(s1!, aad))).toBe(toHex(text('1')));
    expect(await codeOf(() => back.open(s1!, aad))).toBe('ERR_MSG_003'); // replay
    expect(toHex(back.open(s3!, aad))).toBe(toHex(text('3'))); // s2 lost: fine
    expect(await codeOf(() => back.open(s2!, aad))).toBe('ERR_MSG_003'); // reordered
    expect(toHex(back.open(s4!, aad))).toBe(toHex(text('4')));
  });

  it('a forged counter does not move the window; another kind is refused', async () => {
    const out = new SequencedKey(shared, NonceKind.CLIENT_TO_SERVER);
    const back = new SequencedKey(shared, NonceKind.CLIENT_TO_SERVER);
    const s1 = out.seal(text('x'), aad);
    const forged = s1.slice();
    forged.set(counterNonce(NonceKind.CLIENT_TO_SERVER, 1000), 0);
    expect(await codeOf(() => back.open(forged, aad))).toBe('ERR_MSG_003');
    expect(toHex(back.open(s1, aad))).toBe(toHex(text('x')));
    const other = new SequencedKey(shared, NonceKind.SERVER_TO_CLIENT).seal(text('y'), aad);
    expect(await codeOf(() => back.open(other, aad))).toBe('ERR_MSG_003');
    expect(await codeOf(() => back.open(hex('01'), aad))).toBe('ERR_MSG_003');
  });
});

describe('SessionCipher', () => {
  it('both directions open what the other side sealed', () => {
    const { server, client } = pair();
    expect(toHex(client.open(server.seal(text('down'), aad), aad))).toBe(toHex(text('down')));
    expect(toHex(server.open(client.seal(text('up'), aad), aad))).toBe(toHex(text('up')));
  });

  it('reflected, cross-session and replayed sections are ERR_MSG_003', async () => {
    const a = pair();
    const b = pair();
    const up = a.client.seal(text('up'), aad);
    const down = a.server.seal(text('down'), aad);
    expect(await codeOf(() => a.client.open(up, aad))).toBe('ERR_MSG_003'); // reflected
    expect(await codeOf(() => a.server.open(down, aad))).toBe('ERR_MSG_003');
    expect(await codeOf(() => b.server.open(up, aad))).toBe('ERR_MSG_003'); // other session
    expect(await codeOf(() => b.client.open(down, aad))).toBe('ERR_MSG_003');
    a.server.open(up, aad);
    expect(await codeOf(() => a.server.open(up, aad))).toBe('ERR_MSG_003'); // replay
    // A section sealed with the shared key itself (the CONNECT's key) opens nowhere after.
    expect(await codeOf(() => a.server.open(shared.seal(text('x'), aad), aad))).toBe('ERR_MSG_003');
  });

  it('group sections: sealed once, opened by every session above its learned counter', async () => {
    const salt = randomSessionNonce();
    const group = new SequencedKey(groupKey(shared, salt), NonceKind.GROUP);
    const old = group.seal(text('before'), aad);
    const nc = randomSessionNonce();
    const ns = randomSessionNonce();
    const client = SessionCipher.forClient(shared, nc, ns, { salt, seq: group.counter });
    const late = SessionCipher.forClient(shared, randomSessionNonce(), ns, { salt, seq: 0 });
    expect(await codeOf(() => client.open(old, aad))).toBe('ERR_MSG_003'); // before it joined
    const next = group.seal(text('news'), aad);
    expect(toHex(client.open(next, aad))).toBe(toHex(text('news')));
    expect(toHex(late.open(next, aad))).toBe(toHex(text('news')));
    expect(await codeOf(() => client.open(next, aad))).toBe('ERR_MSG_003'); // replay
    // The server never accepts a group section from a client.
    const server = SessionCipher.forServer(shared, nc, ns);
    expect(await codeOf(() => server.open(group.seal(text('x'), aad), aad))).toBe('ERR_MSG_003');
  });

  it('the answer key is bound to the client nonce', async () => {
    const nc = randomSessionNonce();
    const sealed = answerKey(shared, nc).seal(text('answer'), aad);
    expect(toHex(answerKey(shared, nc).open(sealed, aad))).toBe(toHex(text('answer')));
    expect(await codeOf(() => answerKey(shared, randomSessionNonce()).open(sealed, aad))).toBe(
      'ERR_MSG_003',
    );
  });

  it('every back end derives the same session keys', () => {
    const keys = keysFor(Uint8Array.from({ length: 32 }, (_, i) => 255 - i));
    const nc = hex('01'.repeat(32));
    const ns = hex('02'.repeat(32));
    const sealed = SessionCipher.forClient(keys.node, nc, ns).seal(text('same'), aad);
    for (const backend of BACKENDS) {
      const server = SessionCipher.forServer(keys[backend], nc, ns);
      expect(toHex(server.open(sealed, aad))).toBe(toHex(text('same')));
    }
  });

  it('reproduces the key schedule vectors of docs/PROTOCOL.md', () => {
    const nc = hex('01'.repeat(32));
    const ns = hex('02'.repeat(32));
    const salt = hex('03'.repeat(32));
    const expected = {
      answer: 'dd1dd933570bcd34ef691b27e796153a7cefe4dd43a755225fa8b42b27979af0',
      c2s: '9ea87712506acdfa4104283a92877de3bd884af99d57906f9e6024692fadae3c',
      s2c: 'd991fe316defc3c4fa35ae8b8b8297b002e3966b830e5b76763e3cc3f16d266d',
      group: '46bfcb1e82057c4fcd3d934b9c0d7e647376c1765999ce1ac605033a67bedc59',
    };
    const raw = (h: string) => parseKey(Buffer.from(h, 'hex').toString('base64'));
    const probe = (key: { seal(p: Uint8Array, a: Uint8Array): Uint8Array }, h: string) =>
      toHex(raw(h).open(key.seal(text('probe'), aad), aad));
    expect(probe(answerKey(shared, nc), expected.answer)).toBe(toHex(text('probe')));
    expect(probe(groupKey(shared, salt), expected.group)).toBe(toHex(text('probe')));
    const client = SessionCipher.forClient(shared, nc, ns);
    const server = SessionCipher.forServer(shared, nc, ns);
    expect(probe(server, expected.s2c)).toBe(toHex(text('probe')));
    // The documented first client frame: EVENT "chat" in /chat, ack id 5, {"text":"hi"}.
    const eventAad = hex('01036000052f6368617400046368617400000005');
    expect(toHex(client.seal(text('{"text":"hi"}'), eventAad))).toBe(
      '010000000000000000000001' +
        'abbbbd2530dc64bd8a90730c8e' +
        'b745e8197fa1042a1610b31aefc07f39',
    );
    expect(toHex(server.open(client.seal(text('probe'), aad), aad))).toBe(toHex(text('probe')));
  });

  it('nonces travel as base64 of exactly 32 bytes', () => {
    const nc = randomSessionNonce();
    expect(toHex(decodeSessionNonce(encodeSessionNonce(nc))!)).toBe(toHex(nc));
    for (const bad of [
      undefined,
      1,
      '',
      'AAAA',
      encodeSessionNonce(nc).slice(0, -1),
      `${'A'.repeat(42)}B=`,
    ])
      expect(decodeSessionNonce(bad)).toBeUndefined();
  });
});
