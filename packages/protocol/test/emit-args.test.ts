// One payload per event: several emit arguments are a TypeError that names the fix.
import { describe, expect, it } from 'vitest';
import { checkAckOptions, checkEmitArgs } from '../src/index.js';

describe('checkEmitArgs', () => {
  it('accepts (), (data), (data, ack) and (data, undefined)', () => {
    expect(() => checkEmitArgs('e', [])).not.toThrow();
    expect(() => checkEmitArgs('e', [{ a: 1 }])).not.toThrow();
    expect(() => checkEmitArgs('e', [1, () => {}])).not.toThrow();
    expect(() => checkEmitArgs('e', [1, undefined])).not.toThrow();
  });

  it('refuses a list of values with a TypeError that shows one payload object', () => {
    expect(() => checkEmitArgs('chat', ['a', 'b'])).toThrow(TypeError);
    expect(() => checkEmitArgs('chat', ['a', 'b'])).toThrow(/emit\('chat', \{ a, b \}\)/);
    expect(() => checkEmitArgs('chat', ['a', 'b', () => {}])).toThrow(/3 arguments/);
  });
});

describe('checkAckOptions', () => {
  it('accepts no options or an options object, refuses a second value', () => {
    expect(() => checkAckOptions('e', undefined)).not.toThrow();
    expect(() => checkAckOptions('e', { timeout: 1 })).not.toThrow();
    expect(() => checkAckOptions('chat', 'b')).toThrow(TypeError);
    expect(() => checkAckOptions('chat', 2)).toThrow(/emitWithAck\('chat', \{ a, b \}\)/);
  });
});
