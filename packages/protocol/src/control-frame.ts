// The rule for HEARTBEAT / HEARTBEAT_ACK frames that keeps an echo from amplifying anything.
import { FrameFlag, FrameType } from './constants.js';
import type { Frame } from './frame.js';
import { SmartSocketError } from './smart-socket-error.js';

/** Largest plain data section a HEARTBEAT or HEARTBEAT_ACK may carry, in bytes. */
export const MAX_HEARTBEAT_DATA = 128;

/**
 * Checks a received HEARTBEAT or HEARTBEAT_ACK before anything is done with it: its data section
 * is at most {@link MAX_HEARTBEAT_DATA} bytes (plus `sealOverhead` when sealed) and it is never
 * compressed nor binary. A HEARTBEAT is echoed, so a compressed one could make its receiver
 * inflate and send back far more than it got. Returns the `ERR_MSG_001` to refuse it with, or
 * undefined when the frame is acceptable (or is not a heartbeat at all).
 *
 * @example
 * const bad = heartbeatProblem(frame, SEAL_OVERHEAD);
 * if (bad) return conn.fail(bad);
 */
export function heartbeatProblem(frame: Frame, sealOverhead = 0): SmartSocketError | undefined {
  if (frame.type !== FrameType.HEARTBEAT && frame.type !== FrameType.HEARTBEAT_ACK)
    return undefined;
  if ((frame.flags & (FrameFlag.COMPRESSED | FrameFlag.BINARY)) !== 0)
    return new SmartSocketError('ERR_MSG_001', 'A heartbeat is never compressed or binary');
  const limit = MAX_HEARTBEAT_DATA + ((frame.flags & FrameFlag.ENCRYPTED) !== 0 ? sealOverhead : 0);
  if (frame.data.length > limit)
    return new SmartSocketError(
      'ERR_MSG_001',
      `Heartbeat data exceeds ${MAX_HEARTBEAT_DATA} bytes`,
    );
  return undefined;
}
