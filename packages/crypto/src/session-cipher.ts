// The session key schedule: HKDF-SHA256 from the shared key and both handshake nonces, one key
// per direction, plus the key of the CONNECT answer and the broadcast group keys.
import { fromBase64, toBase64 } from './base64.js';
import { type CipherKey, isBytes } from './cipher-key.js';
import { decryptionFailed } from './errors.js';
import { randomBytes } from './random.js';
import { NonceKind, nonceKind, SequencedKey } from './sequenced-key.js';

/** Bytes of each side's handshake nonce (and of a group salt). */
export const SESSION_NONCE_LENGTH = 32;

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
/** HKDF `info` strings, one per derived key. */
export const SESSION_INFO = {
  answer: 'smartsocket v1 connect answer',
  clientToServer: 'smartsocket v1 client to server',
  serverToClient: 'smartsocket v1 server to client',
  group: 'smartsocket v1 group',
} as const;
const INFO = {
  answer: utf8(SESSION_INFO.answer),
  clientToServer: utf8(SESSION_INFO.clientToServer),
  serverToClient: utf8(SESSION_INFO.serverToClient),
  group: utf8(SESSION_INFO.group),
};

// 32 bytes are 43 base64 characters and one '='.
const NONCE_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * A fresh handshake nonce (or group salt): 32 bytes from the platform CSPRNG.
 *
 * @example
 * const body = { caps, nonce: encodeSessionNonce(randomSessionNonce()) };
 */
export function randomSessionNonce(): Uint8Array {
  return randomBytes(SESSION_NONCE_LENGTH);
}

/**
 * A nonce as it travels in CONNECT JSON: standard padded base64.
 *
 * @example
 * answer.nonce = encodeSessionNonce(serverNonce);
 */
export function encodeSessionNonce(nonce: Uint8Array): string {
  return toBase64(nonce);
}

/**
 * The nonce in a CONNECT body field, or undefined unless it is base64 of exactly 32 bytes.
 *
 * @example
 * const clientNonce = decodeSessionNonce(body.nonce);
 * if (!clientNonce) refuse('ERR_CONN_003');
 */
export function decodeSessionNonce(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || !NONCE_BASE64.test(value)) return undefined;
  const bytes = fromBase64(value);
  return bytes.length === SESSION_NONCE_LENGTH && toBase64(bytes) === value ? bytes : undefined;
}

function checkNonce(nonce: Uint8Array, name: string): void {
  if (!isBytes(nonce) || nonce.length !== SESSION_NONCE_LENGTH)
    throw new TypeError(`${name} must be ${SESSION_NONCE_LENGTH} bytes`);
}

/**
 * The key that seals the server's CONNECT answer: HKDF(shared, salt = client nonce,
 * info = "smartsocket v1 connect answer"). Bound to the client's fresh nonce, so an answer
 * captured from another handshake does not open. Sealed under random nonces (the same client
 * nonce may be replayed to the server, which then seals a second answer under this key).
 *
 * @example
 * const sealed = answerKey(shared, clientNonce).seal(section, frameAad(head));
 */
export function answerKey(shared: CipherKey, clientNonce: Uint8Array): CipherKey {
  checkNonce(clientNonce, 'clientNonce');
  return shared.derive(clientNonce, INFO.answer);
}

/**
 * A broadcast group key: HKDF(shared, salt = the group's random salt, info = "smartsocket v1
 * group"). The server keeps one per namespace and shared key; sessions learn the salt (and the
 * group's current counter) in their sealed CONNECT answer.
 *
 * @example
 * const group = new SequencedKey(groupKey(shared, salt), NonceKind.GROUP);
 */
export function groupKey(shared: CipherKey, salt: Uint8Array): CipherKey {
  checkNonce(salt, 'salt');
  return shared.derive(salt, INFO.group);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The sealing state of one session: the outgoing key with its counter, the incoming key with
 * the last counter opened, and (client side) the namespace's group key for broadcasts. Both
 * directions derive from HKDF(shared, salt = clientNonce || serverNonce, info = "smartsocket v1
 * client to server" / "… server to client"), so a frame replayed into another session, or
 * reflected back to its sender, does not open; counters refuse replays and reordering within
 * one session. Every failure is `ERR_MSG_003`.
 *
 * @example
 * const server = SessionCipher.forServer(shared, clientNonce, serverNonce);
 * const client = SessionCipher.forClient(shared, clientNonce, serverNonce, group);
 * client.open(server.seal(section, aad), aad); // → section
 */
export class SessionCipher {
  constructor(
    readonly send: SequencedKey,
    readonly receive: SequencedKey,
    readonly group?: SequencedKey,
  ) {}

  /** The server's side: seals server → client, opens client → server. */
  static forServer(
    shared: CipherKey,
    clientNonce: Uint8Array,
    serverNonce: Uint8Array,
  ): SessionCipher {
    const { c2s, s2c } = directionKeys(shared, clientNonce, serverNonce);
    return new SessionCipher(
      new SequencedKey(s2c, NonceKind.SERVER_TO_CLIENT),
      new SequencedKey(c2s, NonceKind.CLIENT_TO_SERVER),
    );
  }

  /**
   * The client's side: seals client → server, opens server → client and, with `group`, the
   * broadcasts sealed with the group key whose counter is above `group.seq`.
   */
  static forClient(
    shared: CipherKey,
    clientNonce: Uint8Array,
    serverNonce: Uint8Array,
    group?: { salt: Uint8Array; seq: number },
  ): SessionCipher {
    const { c2s, s2c } = directionKeys(shared, clientNonce, serverNonce);
    return new SessionCipher(
      new SequencedKey(c2s, NonceKind.CLIENT_TO_SERVER),
      new SequencedKey(s2c, NonceKind.SERVER_TO_CLIENT),
      group && new SequencedKey(groupKey(shared, group.salt), NonceKind.GROUP, group.seq),
    );
  }

  /** Seals an outgoing section under the next counter of this side's key. */
  seal(plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    return this.send.seal(plaintext, aad);
  }

  /** Opens an incoming section: session key or, by its nonce kind, the group key. */
  open(sealed: Uint8Array, aad: Uint8Array): Uint8Array {
    if (this.group && nonceKind(sealed) === NonceKind.GROUP) return this.group.open(sealed, aad);
    if (nonceKind(sealed) !== this.receive.kind) throw decryptionFailed();
    return this.receive.open(sealed, aad);
  }
}

function directionKeys(
  shared: CipherKey,
  clientNonce: Uint8Array,
  serverNonce: Uint8Array,
): { c2s: CipherKey; s2c: CipherKey } {
  checkNonce(clientNonce, 'clientNonce');
  checkNonce(serverNonce, 'serverNonce');
  const salt = concat(clientNonce, serverNonce);
  return {
    c2s: shared.derive(salt, INFO.clientToServer),
    s2c: shared.derive(salt, INFO.serverToClient),
  };
}
