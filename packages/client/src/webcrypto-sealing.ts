// Encryption with WebCrypto (`crypto.subtle`: every secure context, localhost included): AES-256-GCM
// and HKDF-SHA256 natively, the same bytes and key schedule as @smartsocket/crypto, asynchronous.
import {
  counterNonce,
  decodeKey,
  decodeSessionNonce,
  encodeSessionNonce,
  NONCE_LENGTH,
  NonceKind,
  SEAL_OVERHEAD,
  SESSION_INFO,
} from '@smartsocket/crypto';
import { SmartSocketError } from '@smartsocket/protocol';
import type { AttemptSealer, SealKey, SessionAnswer } from './codec-kit.js';
import { type EncryptionKeyOption, EncryptionKeySource } from './encryption-key.js';
import { sessionParams } from './session-params.js';

// WebCrypto's BufferSource typing wants ArrayBuffer-backed views; ours always are.
type Bytes = Uint8Array<ArrayBuffer>;

/** The key of this back end: the 32 raw bytes (WebCrypto keys are imported per attempt). */
interface RawKey {
  raw: Bytes;
}

const AES = { name: 'AES-GCM', length: 256 };
const USES: KeyUsage[] = ['encrypt', 'decrypt'];
const utf8 = (text: string): Bytes => new TextEncoder().encode(text);

/** The one error every failed open becomes, whatever the cause. */
const failed = (): SmartSocketError =>
  new SmartSocketError('ERR_MSG_003', 'Decryption failed: the data section did not authenticate');

/** The first 32 bytes of HKDF-SHA256(ikm = the key, salt, info), as an AES-GCM key. */
function derive(base: Promise<CryptoKey>, salt: Uint8Array, info: string): Promise<CryptoKey> {
  return base.then((hkdf) =>
    crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: salt as Bytes, info: utf8(info) },
      hkdf,
      AES,
      false,
      USES,
    ),
  );
}

async function seal(
  key: Promise<CryptoKey>,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  const params = { name: 'AES-GCM', iv: nonce as Bytes, additionalData: aad as Bytes };
  const sealed = await crypto.subtle.encrypt(params, await key, plaintext as Bytes);
  const out = new Uint8Array(NONCE_LENGTH + sealed.byteLength);
  out.set(nonce, 0);
  out.set(new Uint8Array(sealed), NONCE_LENGTH);
  return out;
}

async function open(key: Promise<CryptoKey>, sealed: Uint8Array, aad: Uint8Array) {
  if (sealed.length < SEAL_OVERHEAD) throw failed();
  const iv = sealed.subarray(0, NONCE_LENGTH) as Bytes;
  try {
    const params = { name: 'AES-GCM', iv, additionalData: aad as Bytes };
    const plain = await crypto.subtle.decrypt(
      params,
      await key,
      sealed.subarray(NONCE_LENGTH) as Bytes,
    );
    return new Uint8Array(plain);
  } catch {
    throw failed();
  }
}

/** The counter of a section sealed under a `kind || 000000 || u64` nonce, else -1. */
function counterOf(sealed: Uint8Array, kind: number): number {
  if (sealed.length < NONCE_LENGTH || sealed[0] !== kind || sealed[1]! | sealed[2]! | sealed[3]!)
    return -1;
  const view = new DataView(sealed.buffer, sealed.byteOffset, NONCE_LENGTH);
  return view.getUint32(4) * 2 ** 32 + view.getUint32(8);
}

/** A receiving key with the last counter opened: only higher counters open (no replays). */
interface Window {
  key: Promise<CryptoKey>;
  kind: number;
  last: number;
}

async function openNext(w: Window, sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const counter = counterOf(sealed, w.kind);
  if (counter <= w.last) throw failed();
  const plain = await open(w.key, sealed, aad);
  // Only an authentic section moves the window (frames open one at a time, in order).
  w.last = counter;
  return plain;
}

/**
 * Key source of the `encryptionKey` option, keys as raw bytes.
 *
 * @example
 * const key = keySource('base64 of 32 bytes').next();
 */
export function keySource(option: EncryptionKeyOption): { next(): SealKey | Promise<SealKey> } {
  return new EncryptionKeySource<RawKey>(option, (text) => ({
    raw: decodeKey(text, 'encryptionKey') as Bytes,
  }));
}

/**
 * The sealing of one connection attempt with `key`, through WebCrypto. Outgoing counters are
 * taken when `seal` is called, so frames must be sealed in the order they leave (the connection
 * does that).
 *
 * @example
 * const sealer = attempt(key); // sealer.connectNonce goes into CONNECT
 */
export function attempt(key: SealKey): AttemptSealer {
  const { raw } = key as RawKey;
  const nonce = crypto.getRandomValues(new Uint8Array(32));
  const shared = crypto.subtle.importKey('raw', raw, AES, false, USES);
  const base = crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
  const answer = derive(base, nonce, SESSION_INFO.answer);
  let session: { send: Promise<CryptoKey>; sent: number; receive: Window; group: Window };
  return {
    connectNonce: encodeSessionNonce(nonce),
    seal(plaintext, aad) {
      if (!session)
        return seal(shared, crypto.getRandomValues(new Uint8Array(NONCE_LENGTH)), plaintext, aad);
      const next = ++session.sent;
      return seal(session.send, counterNonce(NonceKind.CLIENT_TO_SERVER, next), plaintext, aad);
    },
    open(sealed, aad) {
      if (!session) return open(answer, sealed, aad);
      const kind = sealed.length >= NONCE_LENGTH ? sealed[0] : -1;
      return openNext(kind === NonceKind.GROUP ? session.group : session.receive, sealed, aad);
    },
    start(reply: SessionAnswer) {
      const { serverNonce, salt, seq } = sessionParams(reply, decodeSessionNonce);
      const both = new Uint8Array(64);
      both.set(nonce, 0);
      both.set(serverNonce, 32);
      session = {
        send: derive(base, both, SESSION_INFO.clientToServer),
        sent: 0,
        receive: {
          key: derive(base, both, SESSION_INFO.serverToClient),
          kind: NonceKind.SERVER_TO_CLIENT,
          last: 0,
        },
        group: { key: derive(base, salt, SESSION_INFO.group), kind: NonceKind.GROUP, last: seq },
      };
    },
  };
}
