// Sealing at the frame level: the ENCRYPTED flag set and the header authenticated, in one place.
import {
  encodeFrame,
  type Frame,
  FrameFlag,
  type FrameHead,
  frameAad,
} from '@smartsocket/protocol';
import type { CipherKey } from './cipher-key.js';
import { decryptionFailed } from './errors.js';

/**
 * Encodes one frame whose data section (already encoded, possibly compressed) is sealed with
 * `key`, the header (ENCRYPTED flag included) as AAD. The bytes are the same for every recipient
 * sharing the key: seal a broadcast once.
 *
 * @example
 * const bytes = sealFrame(key, { type: FrameType.EVENT, namespace: '/', event: 'chat' }, section);
 */
export function sealFrame(key: CipherKey, head: FrameHead, section: Uint8Array): Uint8Array {
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
export function openFrame(key: CipherKey, frame: Frame): Uint8Array {
  if ((frame.flags & FrameFlag.ENCRYPTED) === 0) throw decryptionFailed();
  return key.open(frame.data, frame.aad);
}
