import {
  decodeFrames,
  encodeFrame,
  type Frame,
  FrameFlag,
  type FrameHead,
  FrameType,
} from '@smartsocket/protocol';
import { describe, expect, it } from 'vitest';
import {
  dataSectionLength,
  decodeIncoming,
  encodeOutgoing as encodeAny,
  type SectionCodec,
} from '../src/section-codec.js';

/** These codecs are synchronous: the tests read encoded frames directly. */
const encodeOutgoing = (...args: Parameters<typeof encodeAny>) => encodeAny(...args) as Uint8Array;

/** A toy "sealer": reverses the section and flags it ENCRYPTED. */
function reversingCodec(): SectionCodec & { heads: FrameHead[]; compressArgs: boolean[] } {
  const heads: FrameHead[] = [];
  const compressArgs: boolean[] = [];
  return {
    heads,
    compressArgs,
    transforms: true,
    passThrough: -1,
    encode(head, section, compress) {
      heads.push(head);
      compressArgs.push(compress);
      return { data: section.bytes.slice().reverse(), flags: FrameFlag.ENCRYPTED };
    },
    open(frame: Frame) {
      return {
        ...frame,
        flags: frame.flags & ~FrameFlag.ENCRYPTED,
        data: frame.data.slice().reverse(),
      };
    },
  };
}

describe('section codec hook', () => {
  it('passes every section through the codec, BINARY already in the head flags', () => {
    const codec = reversingCodec();
    const value = { file: new Uint8Array([9, 8, 7]), name: 'ü' };
    const bytes = encodeOutgoing(
      { type: FrameType.EVENT, namespace: '/n', event: 'up', ackId: 4, data: value },
      codec,
      false,
    );
    const [frame] = decodeFrames(bytes);
    expect(frame!.flags & FrameFlag.ENCRYPTED).toBeTruthy();
    expect(frame!.flags & FrameFlag.BINARY).toBeTruthy();
    expect(frame!.ackId).toBe(4);
    expect(codec.heads[0]!.flags! & FrameFlag.BINARY).toBeTruthy();
    expect(codec.compressArgs).toEqual([false]);
    expect(decodeIncoming(frame!, codec)).toEqual(value);
  });

  it('a codec that transforms nothing leaves the plain fast path', () => {
    const codec = { ...reversingCodec(), transforms: false };
    const bytes = encodeOutgoing({ type: FrameType.EVENT, event: 'e', data: { a: 1 } }, codec);
    expect(decodeFrames(bytes)[0]!.flags & FrameFlag.ENCRYPTED).toBe(0);
    expect(codec.heads).toHaveLength(0);
  });

  it('without a codec, compressed or encrypted frames are ERR_MSG_002 / ERR_MSG_003', () => {
    const sealed = decodeFrames(
      encodeFrame({
        type: FrameType.EVENT,
        event: 'x',
        flags: FrameFlag.ENCRYPTED,
        data: new Uint8Array([1]),
      }),
    )[0]!;
    const packed = decodeFrames(
      encodeFrame({
        type: FrameType.EVENT,
        event: 'x',
        flags: FrameFlag.COMPRESSED,
        data: new Uint8Array([1]),
      }),
    )[0]!;
    expect(() => decodeIncoming(sealed, undefined)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_003' }),
    );
    expect(() => decodeIncoming(packed, undefined)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_002' }),
    );
  });

  it('dataSectionLength measures exactly the data section', () => {
    const head = {
      type: FrameType.EVENT,
      namespace: '/名前',
      event: 'évènement',
      ackId: 7,
    } as const;
    const bytes = encodeOutgoing({ ...head, data: { text: 'x'.repeat(50) } }, undefined);
    expect(dataSectionLength(bytes, head)).toBe(decodeFrames(bytes)[0]!.data.length);
  });
});
