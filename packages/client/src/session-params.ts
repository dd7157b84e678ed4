// The session fields of a CONNECT answer, checked once for every encryption back end.
import { SmartSocketError } from '@smartsocket/protocol';
import type { SessionAnswer } from './codec-kit.js';

/**
 * The server's nonce and the broadcast group of a sealed CONNECT answer; `ERR_CONN_003` when
 * any of them is missing or malformed.
 */
export function sessionParams(
  answer: SessionAnswer,
  decodeNonce: (value: unknown) => Uint8Array | undefined,
): { serverNonce: Uint8Array; salt: Uint8Array; seq: number } {
  const serverNonce = decodeNonce(answer.nonce);
  const salt = decodeNonce(answer.group?.salt);
  const seq = answer.group?.seq;
  if (!serverNonce || !salt || !Number.isSafeInteger(seq) || (seq as number) < 0)
    throw new SmartSocketError(
      'ERR_CONN_003',
      'Handshake failed: the CONNECT answer carries no session nonce',
    );
  return { serverNonce, salt, seq: seq as number };
}
