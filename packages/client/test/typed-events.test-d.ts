import { describe, expectTypeOf, it } from 'vitest';
import { type AckError, SmartSocketClient, type SmartSocketError } from '../src/index.js';

interface ServerToClient {
  news: (data: { title: string }) => void;
  question: (data: string, ack: (answer: number) => void) => void;
}

interface ClientToServer {
  chat: (text: string) => void;
  save: (doc: { id: number }, ack: (res: { ok: boolean }) => void) => void;
  ping: () => void;
}

const client = new SmartSocketClient<ServerToClient, ClientToServer>('ws://localhost:3000');

describe('typed client events', () => {
  it('types emit data and ack responses', () => {
    client.emit('chat', 'hello');
    client.emit('ping');
    client.emit('save', { id: 1 }, (res) => {
      expectTypeOf(res).toEqualTypeOf<{ ok: boolean } | AckError>();
    });
    // @ts-expect-error wrong payload type
    client.emit('chat', 42);
    // @ts-expect-error unknown event
    client.emit('nope', 1);
    // @ts-expect-error chat takes no ack
    client.emit('chat', 'hi', () => {});
    // @ts-expect-error wrong ack response type
    client.emit('save', { id: 1 }, (res: { ok: string }) => res);
    client.volatile.emit('chat', 'fast');
    // @ts-expect-error volatile is typed too
    client.volatile.emit('chat', 1);
    // emit says whether to keep producing (false: wait for 'drain'), for every variant.
    expectTypeOf(client.emit('chat', 'hi')).toEqualTypeOf<boolean>();
    expectTypeOf(client.volatile.emit('chat', 'hi')).toEqualTypeOf<boolean>();
    expectTypeOf(client.compress(false).emit('chat', 'hi')).toEqualTypeOf<boolean>();
  });

  it('types emitWithAck', () => {
    expectTypeOf(client.emitWithAck('save', { id: 1 })).toEqualTypeOf<Promise<{ ok: boolean }>>();
    // @ts-expect-error chat has no ack
    client.emitWithAck('chat', 'x');
    // @ts-expect-error wrong payload
    client.emitWithAck('save', { id: 'x' });
  });

  it('types listeners of server events and of client events', () => {
    client.on('news', (data) => expectTypeOf(data).toEqualTypeOf<{ title: string }>());
    client.on('question', (data, ack) => {
      expectTypeOf(data).toEqualTypeOf<string>();
      ack(data.length);
      // @ts-expect-error the ack wants a number
      ack('no');
    });
    client.on('reconnecting', (attempt, delay) => expectTypeOf<[number, number]>([attempt, delay]));
    client.on('error', (err) => expectTypeOf(err).toEqualTypeOf<SmartSocketError>());
    client.on('disconnected', (reason) => expectTypeOf(reason).toEqualTypeOf<string>());
    client.once('__rate-limited__', (info) =>
      expectTypeOf(info.retryAfter).toEqualTypeOf<number>(),
    );
    client.off('news');
    // @ts-expect-error unknown server event
    client.on('unknown', () => {});
    // @ts-expect-error wrong listener shape
    client.on('news', (data: number) => data);
  });

  it('without maps everything is allowed', () => {
    const loose = new SmartSocketClient('ws://localhost:3000');
    loose.emit('anything', { a: 1 }, (res) => expectTypeOf(res).toEqualTypeOf<unknown>());
    loose.on('whatever', (...args: any[]) => args);
    expectTypeOf(loose.emitWithAck('x', 1)).toEqualTypeOf<Promise<unknown>>();
    // @ts-expect-error one payload per event: emit('chat', { a, b })
    loose.emit('chat', 'a', 'b');
  });
});
