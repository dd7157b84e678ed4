// The WebCrypto sealer (browser encryption) against @smartsocket/crypto's server side: the same
// bytes both ways, the same key schedule, counters that refuse replays (Node's crypto.subtle).
import {
  answerKey,
  decodeSessionNonce,
  encodeSessionNonce,
  generateKey,
  groupKey,
  NonceKind,
  parseKey,
  randomSessionNonce,
  SequencedKey,
  SessionCipher,
} from '@smartsocket/crypto';
import { describe, expect, it } from 'vitest';
import * as noble from '../src/sealing.js';
import * as webcrypto from '../src/webcrypto-sealing.js';

const text = (s: string) => new TextEncoder().encode(s);
const aad = text('header');
const refused = expect.objectContaining({ code: 'ERR_MSG_003' });

describe.each([
  ['webcrypto', webcrypto],
  ['noble/node', noble],
])('client sealer (%s) against the server side', (_name, backend) => {
  it('CONNECT, answer, session both ways, group broadcasts; replays refused', async () => {
    const base64 = generateKey();
    const shared = parseKey(base64);
    const sealer = backend.attempt(await backend.keySource(base64).next());
    const clientNonce = decodeSessionNonce(sealer.connectNonce)!;
    expect(clientNonce).toHaveLength(32);
    // CONNECT: sealed with the shared key itself.
    expect(shared.open(await sealer.seal(text('connect'), aad), aad)).toEqual(text('connect'));
    // The answer: sealed by the server with the key bound to the client's nonce.
    const answer = answerKey(shared, clientNonce).seal(text('answer'), aad);
    expect(await sealer.open(answer, aad)).toEqual(text('answer'));
    // Session keys from both nonces; the group from its salt, counters above `seq` only.
    const serverNonce = randomSessionNonce();
    const salt = randomSessionNonce();
    sealer.start({
      nonce: encodeSessionNonce(serverNonce),
      group: { salt: encodeSessionNonce(salt), seq: 5 },
    });
    const server = SessionCipher.forServer(shared, clientNonce, serverNonce);
    for (const n of [1, 2, 3])
      expect(server.open(await sealer.seal(text(`up ${n}`), aad), aad)).toEqual(text(`up ${n}`));
    const down1 = server.seal(text('down 1'), aad);
    const down2 = server.seal(text('down 2'), aad);
    expect(await sealer.open(down1, aad)).toEqual(text('down 1'));
    expect(await sealer.open(down2, aad)).toEqual(text('down 2'));
    await expect(Promise.resolve().then(() => sealer.open(down1, aad))).rejects.toEqual(refused);
    const group = new SequencedKey(groupKey(shared, salt), NonceKind.GROUP, 5);
    const news = group.seal(text('news'), aad);
    expect(await sealer.open(news, aad)).toEqual(text('news'));
    await expect(Promise.resolve().then(() => sealer.open(news, aad))).rejects.toEqual(refused);
    const stale = new SequencedKey(groupKey(shared, salt), NonceKind.GROUP, 2).seal(text('x'), aad);
    await expect(Promise.resolve().then(() => sealer.open(stale, aad))).rejects.toEqual(refused);
    // Tampered AAD, or a section reflected back: refused.
    const down3 = server.seal(text('down 3'), aad);
    await expect(Promise.resolve().then(() => sealer.open(down3, text('other')))).rejects.toEqual(
      refused,
    );
    const reflected = await sealer.seal(text('mine'), aad);
    await expect(Promise.resolve().then(() => sealer.open(reflected, aad))).rejects.toEqual(
      refused,
    );
  });

  it('an answer without session nonce is ERR_CONN_003; a bad key ERR_CONFIG_001', async () => {
    const sealer = backend.attempt(await backend.keySource(generateKey()).next());
    expect(() => sealer.start({ nonce: 'nope' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONN_003' }),
    );
    expect(() => backend.keySource('too short')).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_001' }),
    );
  });
});
