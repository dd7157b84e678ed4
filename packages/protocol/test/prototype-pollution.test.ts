// Decoded payloads must never change a prototype, even after Object.assign, spread or a deep merge.
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeData,
  decodeFrameData,
  decodeFrames,
  encodeMessage,
  FrameType,
  parseJson,
} from '../src/index.js';

/** A naive deep merge, like the vulnerable versions of popular utilities. */
function naiveMerge(target: Record<string, any>, source: Record<string, any>): Record<string, any> {
  for (const key in source) {
    const value = source[key];
    if (typeof value === 'object' && value !== null) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      naiveMerge(target[key], value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

function fromWire(json: string, binary = false): any {
  if (!binary) return decodeData(new TextEncoder().encode(json), false);
  const text = new TextEncoder().encode(json);
  const section = new Uint8Array(4 + text.length + 5);
  new DataView(section.buffer).setUint32(0, text.length);
  section.set(text, 4);
  section.set([0, 0, 0, 1, 0xaa], 4 + text.length);
  return decodeData(section, true);
}

const payloads = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"a":{"b":[{"__proto__":{"polluted":"yes"}}]}}',
  '{"\\u005f_proto__":{"polluted":"yes"}}',
  '{"__pro\\u0074o__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"x":[[{"constructor":{"prototype":{"polluted":"yes"}}}]]}',
  '{"constr\\u0075ctor":{"prototype":{"polluted":"yes"}}}',
  '[{"__proto__":{"polluted":"yes"}},{"constructor":{"prototype":{"polluted":"yes"}}}]',
  `${'{"a":'.repeat(400)}{"__proto__":{"polluted":"yes"}}${'}'.repeat(400)}`,
];

afterEach(() => {
  // If a test did pollute, clean up so the others are not affected, then the assertion fails.
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe('prototype pollution', () => {
  for (const json of payloads) {
    // Binary sections are walked recursively and refuse more than 256 levels (ERR_MSG_001).
    for (const binary of json.length > 2000 ? [false] : [false, true]) {
      it(`${json.slice(0, 60)} (${binary ? 'binary' : 'plain'} section)`, () => {
        const value = fromWire(json, binary);
        const merged = naiveMerge({}, Array.isArray(value) ? { list: value } : value);
        const assigned = Object.assign({}, value);
        const spread = { ...value };
        for (const obj of [value, merged, assigned, spread, {}]) {
          expect((obj as Record<string, unknown>).polluted).toBeUndefined();
        }
        expect(Object.getPrototypeOf(assigned)).toBe(Object.prototype);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }
  }

  it('innocent keys that merely contain the words survive', () => {
    const json =
      '{"constructor":"Ford","note":"__proto__ is a key name","nested":{"constructor":{"name":"x"}}}';
    expect(parseJson(json)).toEqual({
      constructor: 'Ford',
      note: '__proto__ is a key name',
      nested: { constructor: { name: 'x' } },
    });
  });

  it('an own "__proto__" key in an outgoing value never becomes a prototype on either side', () => {
    const value = JSON.parse('{"__proto__":{"polluted":"yes"},"file":null}');
    value.file = new Uint8Array([1]);
    const decoded = decodeFrameData(
      decodeFrames(encodeMessage({ type: FrameType.EVENT, event: 'e', data: value }))[0]!,
    );
    expect(decoded).toEqual({ file: new Uint8Array([1]) });
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });
});
