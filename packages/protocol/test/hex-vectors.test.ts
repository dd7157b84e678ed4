// Exact byte layout of every frame type (docs/PROTOCOL.md, sections 2-4), as hex vectors both ways.
import { describe, expect, it } from 'vitest';
import {
  concatFrames,
  decodeFrameData,
  decodeFrames,
  encodeData,
  encodeFrame,
  encodeMessage,
  FrameFlag,
  FrameType,
  frameAad,
} from '../src/index.js';
import { hex, toHex, utf8Hex } from './helpers.js';

describe('hex vectors', () => {
  it('sequenced EVENT "m" with ack id 7 and position 5: SEQ flag, u32 after the ack id, in the AAD', () => {
    const expected = hex(`
      01 03 28
      0001 2f
      0001 6d
      00000007
      00000005
      00000001 31`);
    const bytes = encodeMessage({ type: FrameType.EVENT, event: 'm', ackId: 7, seq: 5, data: 1 });
    expect(toHex(bytes)).toBe(toHex(expected));
    const [frame] = decodeFrames(expected);
    expect(frame).toMatchObject({ flags: FrameFlag.ACK | FrameFlag.SEQ, ackId: 7, seq: 5 });
    expect(toHex(frame!.aad)).toBe('010328' + '00012f' + '00016d' + '00000007' + '00000005');
    expect(toHex(frameAad({ type: FrameType.EVENT, event: 'm', ackId: 7, seq: 5 }))).toBe(
      toHex(frame!.aad),
    );
    // A sequenced ACK (client → server): the sequence number follows the answered id.
    const ack = encodeFrame({ type: FrameType.ACK, ackId: 3, seq: 0x8000_0001 });
    expect(toHex(ack)).toBe(toHex(hex('01 04 08 0001 2f 0000 00000003 80000001 00000000')));
  });

  it('EVENT "chat" in /chat with {"type":"chat","text":"Hello"}', () => {
    const json = '{"type":"chat","text":"Hello"}';
    const expected = hex(`
      01 03 00
      0005 2f63686174
      0004 63686174
      0000001e ${utf8Hex(json)}`);
    const bytes = encodeMessage({
      type: FrameType.EVENT,
      namespace: '/chat',
      event: 'chat',
      data: { type: 'chat', text: 'Hello' },
    });
    expect(toHex(bytes)).toBe(toHex(expected));
    const [frame, ...rest] = decodeFrames(expected);
    expect(rest).toHaveLength(0);
    expect(frame).toMatchObject({
      type: FrameType.EVENT,
      flags: 0,
      namespace: '/chat',
      event: 'chat',
      ackId: undefined,
    });
    expect(toHex(frame!.aad)).toBe('010300' + '00052f63686174' + '000463686174');
    expect(decodeFrameData(frame!)).toEqual({ type: 'chat', text: 'Hello' });
  });

  it('EVENT with an ack id: ACK flag (0x20) and a u32 after the event name', () => {
    const expected = hex(`01 03 20  0001 2f  0003 736176  0000002a  00000005 ${utf8Hex('[1,2]')}`);
    const bytes = encodeMessage({ type: FrameType.EVENT, event: 'sav', ackId: 42, data: [1, 2] });
    expect(toHex(bytes)).toBe(toHex(expected));
    const [frame] = decodeFrames(expected);
    expect(frame!.ackId).toBe(42);
    expect(frame!.flags).toBe(FrameFlag.ACK);
    expect(toHex(frame!.aad)).toBe('010320' + '00012f' + '0003736176' + '0000002a');
  });

  it('ACK: the ack id is always present and the ACK flag stays clear', () => {
    const expected = hex(`01 04 00  0001 2f  0000  ffffffff  00000004 ${utf8Hex('"ok"')}`);
    const bytes = encodeMessage({ type: FrameType.ACK, ackId: 0xffff_ffff, data: 'ok' });
    expect(toHex(bytes)).toBe(toHex(expected));
    const [frame] = decodeFrames(expected);
    expect(frame).toMatchObject({ type: FrameType.ACK, flags: 0, ackId: 0xffff_ffff, event: '' });
    expect(decodeFrameData(frame!)).toBe('ok');
  });

  it('HEARTBEAT without data and with {"t":…}', () => {
    expect(toHex(encodeFrame({ type: FrameType.HEARTBEAT }))).toBe(
      '010600' + '00012f' + '0000' + '00000000',
    );
    expect(toHex(encodeMessage({ type: FrameType.HEARTBEAT }))).toBe(
      '010600' + '00012f' + '0000' + '00000000',
    );
    const withT = encodeMessage({ type: FrameType.HEARTBEAT, data: { t: 1 } });
    expect(toHex(withT)).toBe(
      `010600 00012f 0000 00000007 ${utf8Hex('{"t":1}')}`.replace(/ /g, ''),
    );
    const [frame] = decodeFrames(hex('010700 00012f 0000 00000000'));
    expect(frame!.type).toBe(FrameType.HEARTBEAT_ACK);
    expect(decodeFrameData(frame!)).toBeUndefined();
  });

  it('ERROR with { code, message, event, retryAfter }', () => {
    const body = {
      code: 'ERR_RATE_001',
      message: 'Rate limit exceeded',
      event: 'chat',
      retryAfter: 1000,
    };
    const json = JSON.stringify(body);
    const expected = hex(
      `01 05 00  0005 2f63686174  0000  ${json.length.toString(16).padStart(8, '0')} ${utf8Hex(json)}`,
    );
    expect(toHex(encodeMessage({ type: FrameType.ERROR, namespace: '/chat', data: body }))).toBe(
      toHex(expected),
    );
    expect(decodeFrameData(decodeFrames(expected)[0]!)).toEqual(body);
  });

  it('CONNECT (client handshake) and DISCONNECT', () => {
    const hello = { caps: { compression: ['deflate'], binary: true } };
    const json = JSON.stringify(hello);
    expect(json.length).toBe(0x32);
    const expected = hex(`01 01 00  0005 2f7175697a  0000  00000032 ${utf8Hex(json)}`);
    expect(toHex(encodeMessage({ type: FrameType.CONNECT, namespace: '/quiz', data: hello }))).toBe(
      toHex(expected),
    );
    const bye = encodeMessage({
      type: FrameType.DISCONNECT,
      data: { reason: 'client disconnect' },
    });
    expect(toHex(bye.subarray(0, 12))).toBe('010200' + '00012f' + '0000' + '0000001e');
  });

  it('binary attachments: BINARY flag, jsonLength u32 | json | (length u32 | bytes)*', () => {
    const json = '{"name":"a","data":{"__ssbin":0},"more":[{"__ssbin":1}]}';
    const section = `${json.length.toString(16).padStart(8, '0')} ${utf8Hex(json)} 00000003 010203 00000000`;
    const sectionBytes = hex(section);
    const expected = hex(
      `01 03 10  0001 2f  0004 66696c65  ${sectionBytes.length.toString(16).padStart(8, '0')} ${section}`,
    );
    const value = { name: 'a', data: new Uint8Array([1, 2, 3]), more: [new ArrayBuffer(0)] };
    expect(toHex(encodeMessage({ type: FrameType.EVENT, event: 'file', data: value }))).toBe(
      toHex(expected),
    );
    expect(encodeData(value)).toEqual({ bytes: sectionBytes, binary: true });
    const [frame] = decodeFrames(expected);
    expect(frame!.flags).toBe(FrameFlag.BINARY);
    expect(decodeFrameData(frame!)).toEqual({
      name: 'a',
      data: new Uint8Array([1, 2, 3]),
      more: [new Uint8Array(0)],
    });
  });

  it('several frames in one transport message, back to back', () => {
    const a = encodeFrame({ type: FrameType.HEARTBEAT });
    const b = encodeMessage({ type: FrameType.EVENT, event: 'x', data: 1 });
    const c = encodeMessage({ type: FrameType.ACK, ackId: 1 });
    const message = concatFrames([a, b, c]);
    expect(toHex(message)).toBe(
      '01060000012f000000000000' +
        '01030000012f000178' +
        '0000000131' +
        '01040000012f0000' +
        '00000001' +
        '00000000',
    );
    const frames = decodeFrames(message);
    expect(frames.map((f) => f.type)).toEqual([
      FrameType.HEARTBEAT,
      FrameType.EVENT,
      FrameType.ACK,
    ]);
    expect(decodeFrameData(frames[1]!)).toBe(1);
    expect(frames[2]!.ackId).toBe(1);
    expect(concatFrames([a])).toBe(a);
  });

  it('COMPRESSED/ENCRYPTED bits and the data bytes pass through untouched; aad = header without dataLen', () => {
    const sealed = hex('a1b2c3d4e5f6');
    const head = {
      type: FrameType.EVENT,
      namespace: '/chat',
      event: 'msg',
      ackId: 9,
      flags: FrameFlag.COMPRESSED | FrameFlag.ENCRYPTED,
    } as const;
    const bytes = encodeFrame({ ...head, data: sealed });
    const aadHex = '0103e0' + '00052f63686174' + '00036d7367' + '00000009';
    expect(toHex(bytes)).toBe(aadHex + '00000006' + 'a1b2c3d4e5f6');
    expect(toHex(frameAad(head))).toBe(aadHex);
    const [frame] = decodeFrames(bytes);
    expect(frame!.flags).toBe(0xe0);
    expect(toHex(frame!.data)).toBe('a1b2c3d4e5f6');
    expect(toHex(frame!.aad)).toBe(aadHex);
    // Sections still compressed/sealed are not parsed as JSON by mistake.
    expect(() => decodeFrameData(frame!)).toThrow(expect.objectContaining({ code: 'ERR_MSG_001' }));
  });

  it('UTF-8 names are length-prefixed in bytes, not characters', () => {
    const bytes = encodeMessage({ type: FrameType.EVENT, namespace: '/é', event: '💬' });
    expect(toHex(bytes)).toBe('010300' + '0003' + '2fc3a9' + '0004' + 'f09f92ac' + '00000000');
    expect(decodeFrames(bytes)[0]).toMatchObject({ namespace: '/é', event: '💬' });
  });
});
