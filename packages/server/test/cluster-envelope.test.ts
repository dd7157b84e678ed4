// The cluster bus envelope: byte layout, round trips, binary bodies, malformed input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  decodeOptions,
  encodeEnvelope,
  encodeOptions,
  MessageType,
} from '../src/cluster-envelope.js';

const node = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3]);

describe('cluster envelope', () => {
  it('lays out version, type, flags, node id, request id, body length, body, tail', () => {
    const bytes = encodeEnvelope(
      MessageType.BROADCAST,
      node,
      0x01020304,
      { a: 1 },
      new Uint8Array([7, 7]),
    );
    expect(Buffer.from(bytes).toString('hex')).toBe(
      '01' +
        '04' +
        '00' +
        'deadbeef00010203' +
        '01020304' +
        '00000007' +
        Buffer.from('{"a":1}').toString('hex') +
        '0707',
    );
    const msg = decodeEnvelope(bytes);
    expect(msg).toMatchObject({ type: 4, node: 'deadbeef00010203', requestId: 0x01020304 });
    expect(msg.body).toEqual({ a: 1 });
    expect([...msg.tail]).toEqual([7, 7]);
  });

  it('round-trips bodies with binary values and empty bodies', () => {
    const body = { args: ['x', new Uint8Array([1, 2]), { deep: new Uint8Array(0) }] };
    const msg = decodeEnvelope(encodeEnvelope(MessageType.SERVER_SIDE_EMIT, node, 5, body));
    expect(msg.body).toEqual(body);
    const empty = decodeEnvelope(encodeEnvelope(MessageType.HEARTBEAT, node, 0, undefined));
    expect(empty.body).toBeUndefined();
    expect(empty.tail.length).toBe(0);
  });

  it('rejects malformed messages with ERR_MSG_001 and never anything else', () => {
    const good = encodeEnvelope(MessageType.FETCH_SOCKETS, node, 1, { o: { r: [], e: [] } });
    const bad = [
      new Uint8Array(0),
      good.subarray(0, 10),
      Uint8Array.of(2, ...good.subarray(1)), // version
      Uint8Array.of(1, 99, ...good.subarray(2)), // type
      good.subarray(0, good.length - 1), // body past the end
    ];
    for (const bytes of bad) {
      expect(() => decodeEnvelope(bytes)).toThrow(expect.objectContaining({ code: 'ERR_MSG_001' }));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeEnvelope(bytes);
        } catch (err) {
          expect((err as { code?: string }).code).toBe('ERR_MSG_001');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('carries rooms, except and the volatile/compress/timeout flags, never local', () => {
    const wire = encodeOptions({
      rooms: new Set(['a', 'b']),
      except: new Set(['c']),
      flags: { volatile: true, compress: false, local: true, timeout: 10 },
    });
    expect(wire).toEqual({ r: ['a', 'b'], e: ['c'], v: 1, c: 0, t: 10 });
    const back = decodeOptions(JSON.parse(JSON.stringify(wire)));
    expect(back).toEqual({
      rooms: new Set(['a', 'b']),
      except: new Set(['c']),
      flags: { volatile: true, compress: false, timeout: 10 },
    });
    expect(decodeOptions(encodeOptions({ rooms: new Set() })).flags).toEqual({});
  });

  it('refuses options without room lists instead of targeting everyone', () => {
    expect(() => decodeOptions(undefined)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_001' }),
    );
    expect(() => decodeOptions({ r: [1], e: [] } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_001' }),
    );
  });
});
