// Sealing at the frame level: the ENCRYPTED flag set and the header authenticated, in one place.
import {
  encodeFrame,
  type Frame,
  FrameFlag,
  type FrameHead,
  frameAad,
} from '@smartsocket/protocol';
import { decryptionFailed } from './errors.js';

/**
 * What seals and opens data sections: a `CipherKey` (random nonces), a `SequencedKey` (counter
 * nonces) or a `SessionCipher` (a session's two directions).
 *
 * @example
 * const sealer: SectionSealer = session ?? sharedKey;
 * const bytes = sealFrame(sealer, head, section);
 */
export interface SectionSealer {
  seal(plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  open(sealed: Uint8Array, aad: Uint8Array): Uint8Array;
}

/**
 * Encodes one frame whose data section (already encoded, possibly compressed) is sealed with
 * `key` (any {@link SectionSealer}), the header (ENCRYPTED flag included) as AAD. The bytes are the same for every recipient
 * sharing the key: seal a broadcast once.
 *
 * @example
 * const bytes = sealFrame(key, { type: FrameType.EVENT, namespace: '/', event: 'chat' }, section);
 */
export function sealFrame(key: SectionSealer, head: FrameHead, section: Uint8Array): Uint8Array {
  const sealedHead: FrameHead = { ...head, flags: (head.flags ?? 0) | FrameFlag.ENCRYPTED };
  return encodeFrame({ ...sealedHead, data: key.seal(section, frameAad(sealedHead)) });
}

/**
 * Opens the data section of a decoded frame (still compressed if flagged). A frame without the
 * ENCRYPTED flag, or one that does not authenticate, throws `ERR_MSG_003`.
 *
 * @example
 * const section = openFrame(session.key, frame);
 */
export function openFrame(key: Pick<SectionSealer, 'open'>, frame: Frame): Uint8Array {
  if ((frame.flags & FrameFlag.ENCRYPTED) === 0) throw decryptionFailed();
  return key.open(frame.data, frame.aad);
}
