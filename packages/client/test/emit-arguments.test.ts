// One payload per event on the client too: `emit('chat', a, b)` is a TypeError naming the fix.
import { describe, expect, it } from 'vitest';
import { SmartSocketClient } from '../src/index.js';

describe('several emit arguments', () => {
  it('throw a TypeError that shows one payload object, before anything is queued', () => {
    const client = new SmartSocketClient('ws://127.0.0.1:9', { maxReconnectAttempts: 0 });
    const emit = client.emit as (...args: unknown[]) => unknown;
    expect(() => emit.call(client, 'chat', 'a', 'b')).toThrow(TypeError);
    expect(() => emit.call(client, 'chat', 'a', 'b')).toThrow(/emit\('chat', \{ a, b \}\)/);
    expect(() => (client.volatile.emit as any)('chat', 1, 2)).toThrow(TypeError);
    expect(() => (client.compress(false).emit as any)('chat', 1, 2)).toThrow(TypeError);
    expect(() => client.emit('chat', { a: 'a', b: 'b' })).not.toThrow();
    client.disconnect();
  });

  it('emitWithAck with a second value instead of options is a TypeError naming the fix', () => {
    const client = new SmartSocketClient('ws://127.0.0.1:9', { maxReconnectAttempts: 0 });
    const withAck = client.emitWithAck as (...args: unknown[]) => unknown;
    expect(() => withAck.call(client, 'chat', 'a', 'b')).toThrow(TypeError);
    expect(() => withAck.call(client, 'chat', 'a', 'b')).toThrow(
      /emitWithAck\('chat', \{ a, b \}\)/,
    );
    expect(() => (client.compress(false).emitWithAck as any)('chat', 1, 2)).toThrow(TypeError);
    client.disconnect();
  });
});
