// Per-session keys on the server: the client nonce checked against recent CONNECTs, a fresh
// server nonce, the session's directional keys and the namespace's broadcast group key.
import {
  answerKey,
  type CipherKey,
  encodeSessionNonce,
  groupKey,
  NonceKind,
  randomSessionNonce,
  SequencedKey,
  SessionCipher,
} from '@smartsocket/crypto';

/**
 * Client nonces of the most recent CONNECTs remembered to refuse a replayed CONNECT before its
 * API key or `authenticate` is even looked at. Bounded (about 100 bytes each); an older replay
 * still gets nothing usable, since the session keys also depend on the server's fresh nonce.
 */
const REMEMBERED_CONNECTS = 8192;

/** A namespace's broadcast group under one shared key: its salt and its sealing counter. */
interface Group {
  readonly salt: Uint8Array;
  readonly key: SequencedKey;
}

/** What an accepted CONNECT gets with encryption on. */
export interface SessionStart {
  /** Seals this session's frames server → client, opens client → server. */
  readonly cipher: SessionCipher;
  /** The namespace's group key: every broadcast to this namespace is sealed once with it. */
  readonly group: SequencedKey;
  /** Seals the CONNECT answer (bound to the client's nonce). */
  readonly answerKey: CipherKey;
  /** Fields added to the CONNECT answer: `{ nonce, group: { salt, seq } }`. */
  readonly answer: { nonce: string; group: { salt: string; seq: number } };
}

/**
 * The server side of the session key schedule (see docs/PROTOCOL.md, "Session keys"). One per
 * server; group keys are kept per shared key (a rotated-in key gets new groups, so a retired key
 * never opens broadcasts sent to sessions on its successor) and per namespace.
 *
 * @example
 * if (!keys.claim(nonceText)) refuse('ERR_MSG_003');
 * const start = keys.start(ringKey, clientNonce, '/chat');
 */
export class SessionKeys {
  readonly #groups = new WeakMap<CipherKey, Map<string, Group>>();
  readonly #seen = new Set<string>();
  readonly #order: string[] = [];
  #next = 0;

  /**
   * Remembers the client nonce of a CONNECT (its base64 text); false when it was seen among the
   * last {@link REMEMBERED_CONNECTS}: a replay.
   */
  claim(nonce: string): boolean {
    if (this.#seen.has(nonce)) return false;
    if (this.#order.length < REMEMBERED_CONNECTS) this.#order.push(nonce);
    else {
      this.#seen.delete(this.#order[this.#next]!);
      this.#order[this.#next] = nonce;
      this.#next = (this.#next + 1) % REMEMBERED_CONNECTS;
    }
    this.#seen.add(nonce);
    return true;
  }

  /** Derives a new session's keys from the key its CONNECT opened with and its client nonce. */
  start(shared: CipherKey, clientNonce: Uint8Array, namespace: string): SessionStart {
    const serverNonce = randomSessionNonce();
    const group = this.#group(shared, namespace);
    return {
      cipher: SessionCipher.forServer(shared, clientNonce, serverNonce),
      group: group.key,
      answerKey: answerKey(shared, clientNonce),
      answer: {
        nonce: encodeSessionNonce(serverNonce),
        // The counter so far: the client refuses every group section it could have missed.
        group: { salt: encodeSessionNonce(group.salt), seq: group.key.counter },
      },
    };
  }

  #group(shared: CipherKey, namespace: string): Group {
    let groups = this.#groups.get(shared);
    if (!groups) this.#groups.set(shared, (groups = new Map()));
    let group = groups.get(namespace);
    if (!group) {
      const salt = randomSessionNonce();
      group = { salt, key: new SequencedKey(groupKey(shared, salt), NonceKind.GROUP) };
      groups.set(namespace, group);
    }
    return group;
  }
}
