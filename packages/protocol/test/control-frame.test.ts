// The heartbeat rule: at most 128 bytes of data (plus a seal), never compressed or binary.
import { describe, expect, it } from 'vitest';
import {
  decodeFrames,
  encodeFrame,
  FrameFlag,
  FrameType,
  heartbeatProblem,
  MAX_HEARTBEAT_DATA,
} from '../src/index.js';

const frame = (type: FrameType, size: number, flags = 0) =>
  decodeFrames(encodeFrame({ type, namespace: '/', flags, data: new Uint8Array(size) }))[0]!;

describe('heartbeatProblem', () => {
  it.each([FrameType.HEARTBEAT, FrameType.HEARTBEAT_ACK])(
    'accepts 0 and 128 bytes (type %i)',
    (type) => {
      expect(heartbeatProblem(frame(type, 0))).toBeUndefined();
      expect(heartbeatProblem(frame(type, MAX_HEARTBEAT_DATA))).toBeUndefined();
    },
  );

  it('refuses 129 bytes, compressed and binary heartbeats with ERR_MSG_001', () => {
    expect(heartbeatProblem(frame(FrameType.HEARTBEAT, MAX_HEARTBEAT_DATA + 1))?.code).toBe(
      'ERR_MSG_001',
    );
    expect(heartbeatProblem(frame(FrameType.HEARTBEAT, 4, FrameFlag.COMPRESSED))?.code).toBe(
      'ERR_MSG_001',
    );
    expect(heartbeatProblem(frame(FrameType.HEARTBEAT_ACK, 4, FrameFlag.BINARY))?.code).toBe(
      'ERR_MSG_001',
    );
  });

  it('allows the seal overhead only on a sealed frame', () => {
    const sealed = frame(FrameType.HEARTBEAT, MAX_HEARTBEAT_DATA + 28, FrameFlag.ENCRYPTED);
    expect(heartbeatProblem(sealed, 28)).toBeUndefined();
    expect(heartbeatProblem(frame(FrameType.HEARTBEAT, MAX_HEARTBEAT_DATA + 28), 28)).toBeDefined();
  });

  it('ignores other frame types', () => {
    expect(heartbeatProblem(frame(FrameType.EVENT, 10_000, FrameFlag.COMPRESSED))).toBeUndefined();
  });
});
