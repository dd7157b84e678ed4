// Every malformed input the decoder must refuse, each with its code (ERR_MSG_001 / ERR_MSG_004).
import { describe, expect, it } from 'vitest';
import {
  decodeData,
  decodeFrameData,
  decodeFrames,
  type ErrorCode,
  parseJson,
} from '../src/index.js';
import { expectCode, hex } from './helpers.js';

const MSG_001: ErrorCode = 'ERR_MSG_001';

describe('malformed frames', () => {
  const cases: Array<[string, string]> = [
    ['bad version 0x00', '000600 00012f 0000 00000000'],
    ['bad version 0x02', '020600 00012f 0000 00000000'],
    ['unknown type 0x00', '010000 00012f 0000 00000000'],
    ['unknown type 0x08', '010800 00012f 0000 00000000'],
    ['unknown type 0xff', '01ff00 00012f 0000 00000000'],
    ['reserved flag bit 0', '010601 00012f 0000 00000000'],
    ['reserved flag bit 2', '010604 00012f 0000 00000000'],
    ['sequence number missing (SEQ flag)', '010308 00012f 0001 65 000000'],
    ['header shorter than 7 bytes', '010600 0001'],
    ['namespace past the end', '010600 00052f 0000 00000000'],
    ['event name past the end', '010300 00012f 0009 6576 00000000'],
    ['ack id missing (ACK flag)', '010320 00012f 0001 65 000000'],
    ['ack id missing (ACK frame)', '010400 00012f 0000 0000'],
    ['data length missing', '010600 00012f 0000 0000'],
    ['data past the end', '010600 00012f 0000 00000005 7b7d'],
    ['second frame truncated', '010600 00012f 0000 00000000 0106'],
    ['event name on a non-EVENT frame', '010600 00012f 0001 65 00000000'],
    ['event name on an ACK frame', '010400 00012f 0001 65 00000001 00000000'],
    ['bad UTF-8 in namespace', '010600 0002 2fff 0000 00000000'],
    ['overlong UTF-8 in namespace', '010600 0003 2fc0af 0000 00000000'],
    ['bad UTF-8 in event name', '010300 00012f 0002 c328 00000000'],
    ['UTF-8 surrogate in event name', '010300 00012f 0003 eda080 00000000'],
    [
      'long non-ASCII namespace with a bad byte',
      `010600 0050 2f${'c3a9'.repeat(39)}ff 0000 00000000`,
    ],
  ];
  for (const [name, bytes] of cases) {
    it(name, () => {
      expectCode(() => decodeFrames(hex(bytes)), MSG_001);
    });
  }

  it('empty message and non-binary input', () => {
    expectCode(() => decodeFrames(new Uint8Array(0)), MSG_001);
    expectCode(() => decodeFrames('0106' as unknown as Uint8Array), MSG_001);
    expectCode(() => decodeFrames([1, 6, 0] as unknown as Uint8Array), MSG_001);
  });

  it('maxPayload exceeded is ERR_MSG_004, at exactly maxPayload it is fine', () => {
    const frame = hex('010300 00012f 0001 65 00000004 5b315d20');
    expectCode(() => decodeFrames(frame, { maxPayload: 3 }), 'ERR_MSG_004');
    expect(decodeFrames(frame, { maxPayload: 4 })).toHaveLength(1);
    // Default limit: 16 MiB, checked on the declared length before the (absent) bytes.
    expectCode(() => decodeFrames(hex('010300 00012f 0000 01000001')), 'ERR_MSG_004');
    expectCode(() => decodeFrames(hex('010300 00012f 0000 01000000')), MSG_001);
  });
});

describe('malformed data sections', () => {
  const frame = (section: string, flags = '00'): Uint8Array => {
    const bytes = hex(section);
    return hex(
      `0103${flags} 00012f 0001 65 ${bytes.length.toString(16).padStart(8, '0')} ${section}`,
    );
  };
  const data = (section: string, flags = '00'): unknown =>
    decodeFrameData(decodeFrames(frame(section, flags))[0]!);

  it('bad UTF-8 in JSON', () => {
    expectCode(() => data('22ff22'), MSG_001);
    expectCode(() => data('0000000322ff22', '10'), MSG_001);
  });

  it('bad JSON', () => {
    for (const text of ['{', '{"a":}', 'undefined', "{'a':1}", '[1,]', '1 2', 'NaN', '\u0000']) {
      expectCode(() => data(Buffer.from(text).toString('hex')), MSG_001);
      expectCode(() => parseJson(text), MSG_001);
    }
  });

  it('binary section: too short, JSON length past the end, truncated attachment headers', () => {
    expectCode(() => data('000000', '10'), MSG_001);
    expectCode(() => data('00000009 7b7d', '10'), MSG_001);
    expectCode(() => data('00000002 7b7d 0000', '10'), MSG_001);
    expectCode(() => data('00000002 7b7d 00000003 0102', '10'), MSG_001);
    expectCode(() => data('00000000', '10'), MSG_001);
  });

  it('placeholder index out of range or not an index', () => {
    const section = (json: string, attachments = ''): string =>
      `${json.length.toString(16).padStart(8, '0')} ${Buffer.from(json).toString('hex')} ${attachments}`;
    expectCode(() => data(section('{"__ssbin":0}'), '10'), MSG_001);
    expectCode(() => data(section('[{"__ssbin":1}]', '00000001 aa'), '10'), MSG_001);
    expectCode(() => data(section('{"__ssbin":-1}', '00000001 aa'), '10'), MSG_001);
    expectCode(() => data(section('{"__ssbin":0.5}', '00000001 aa'), '10'), MSG_001);
    expectCode(() => data(section('{"__ssbin":"0"}', '00000001 aa'), '10'), MSG_001);
    // A placeholder is an object with exactly one key; anything else stays as it is.
    expect(data(section('{"a":{"__ssbin":0,"b":1}}', '00000001 aa'), '10')).toEqual({
      a: { __ssbin: 0, b: 1 },
    });
    // Without the BINARY flag there are no placeholders at all.
    expect(decodeData(Buffer.from('{"__ssbin":0}'), false)).toEqual({ __ssbin: 0 });
  });

  it('sections still compressed or encrypted are not parsed', () => {
    expectCode(() => data('7b7d', '80'), MSG_001);
    expectCode(() => data('7b7d', '40'), MSG_001);
  });

  it('payload nested deeper than the codec walks is ERR_MSG_001, not a stack overflow', () => {
    const deep = `${'['.repeat(5000)}{"__ssbin":0}${']'.repeat(5000)}`;
    const section = `${deep.length.toString(16).padStart(8, '0')} ${Buffer.from(deep).toString('hex')} 00000000`;
    expectCode(() => data(section, '10'), MSG_001);
  });
});
