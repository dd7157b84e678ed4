// Type tests: typed event maps for server, namespace and socket, including ack argument types.
import { describe, expectTypeOf, it } from 'vitest';
import { type RemoteSocket, SmartSocket, type Socket } from '../src/index.js';

interface ClientToServer {
  chat: (msg: { text: string }, ack: (res: { ok: boolean }) => void) => void;
  ping: () => void;
}
interface ServerToClient {
  news: (n: { title: string }) => void;
  poll: (q: { question: string }, ack: (answer: number) => void) => void;
}
interface ServerSide {
  hello: (from: string) => void;
}

const server = new SmartSocket<ClientToServer, ServerToClient, ServerSide, { user?: string }>({
  port: 0,
});

describe('typed events', () => {
  it('types fetchSockets as local sockets or remote ones from the server, a namespace and a socket', () => {
    type Local = Socket<ClientToServer, ServerToClient, { user?: string }>;
    expectTypeOf(server.to('r').fetchSockets()).toEqualTypeOf<Promise<(Local | RemoteSocket)[]>>();
    expectTypeOf(server.fetchSockets()).toEqualTypeOf<Promise<(Local | RemoteSocket)[]>>();
    expectTypeOf(server.of('/chat').in('r').fetchSockets()).toEqualTypeOf<
      Promise<(Local | RemoteSocket)[]>
    >();
    server.on('ping', (socket) => {
      expectTypeOf(socket.to('r').fetchSockets()).toEqualTypeOf<
        Promise<(Socket | RemoteSocket)[]>
      >();
    });
  });

  it('types server-level and namespace handlers with (socket, data, ack)', () => {
    server.on('chat', (socket, msg, ack) => {
      expectTypeOf(socket).toEqualTypeOf<
        Socket<ClientToServer, ServerToClient, { user?: string }>
      >();
      expectTypeOf(msg).toEqualTypeOf<{ text: string }>();
      ack({ ok: true });
      // @ts-expect-error wrong ack response type
      ack('yes');
      expectTypeOf(socket.data.user).toEqualTypeOf<string | undefined>();
    });
    // @ts-expect-error unknown client event
    server.on('nope', () => {});
    // @ts-expect-error wrong data type
    server.on('chat', (_socket, msg: number) => msg);
    server.namespace('/x').on('ping', (socket) => expectTypeOf(socket.id).toEqualTypeOf<string>());
    server.on('connected', (socket) =>
      expectTypeOf(socket).toEqualTypeOf<
        Socket<ClientToServer, ServerToClient, { user?: string }>
      >(),
    );
    server.on('rate-limit', (_socket, info) =>
      expectTypeOf(info.retryAfter).toEqualTypeOf<number>(),
    );
    server.on('error', (err) => expectTypeOf(err).toEqualTypeOf<Error>());
  });

  it('types socket handlers and emits', () => {
    server.on('connected', async (socket) => {
      socket.on('chat', (msg, ack) => {
        expectTypeOf(msg.text).toEqualTypeOf<string>();
        ack({ ok: false });
      });
      socket.on('disconnected', (reason) => expectTypeOf(reason).toEqualTypeOf<string>());
      socket.emit('news', { title: 't' });
      // @ts-expect-error wrong payload
      socket.emit('news', { title: 1 });
      // @ts-expect-error unknown server event
      socket.emit('nope', 1);
      socket.emit('poll', { question: 'q' }, (answer) =>
        expectTypeOf(answer).toEqualTypeOf<number>(),
      );
      expectTypeOf(await socket.emitWithAck('poll', { question: 'q' })).toEqualTypeOf<number>();
      socket.timeout(100).emit('poll', { question: 'q' }, (err, answer) => {
        expectTypeOf(err).toEqualTypeOf<Error | null>();
        expectTypeOf(answer).toEqualTypeOf<number>();
      });
    });
  });

  it('types broadcasts, broadcast acks and server-side emits', async () => {
    server.to('room').except('muted').emit('news', { title: 'x' });
    // @ts-expect-error wrong payload
    server.to('room').emit('news', 'x');
    server.timeout(100).emit('poll', { question: 'q' }, (err, answers) => {
      expectTypeOf(err).toEqualTypeOf<Error | null>();
      expectTypeOf(answers).toEqualTypeOf<number[]>();
    });
    expectTypeOf(await server.emitWithAck('poll', { question: 'q' })).toEqualTypeOf<number[]>();
    const nsp = server.namespace('/');
    nsp.serverSideEmit('hello', 'node-1');
    // @ts-expect-error wrong server-side argument
    nsp.serverSideEmit('hello', 1);
    nsp.onServerSideEmit('hello', (from) => expectTypeOf(from).toEqualTypeOf<string>());
  });

  it('untyped servers accept any event', () => {
    const loose = new SmartSocket({ port: 0 });
    loose.on('anything', (_socket, data, ack) => ack?.(data));
    loose.emit('whatever', { any: 1 });
    loose.on('connected', (socket) => socket.emit('x', 1, (res: unknown) => res));
    // @ts-expect-error one payload per event: emit('chat', { a, b })
    loose.emit('chat', 'a', 'b');
    // @ts-expect-error one payload per event, on broadcast operators too
    loose.to('room').emit('chat', 'a', 'b');
    loose.on('connected', (socket) => {
      // @ts-expect-error one payload per event, on sockets too
      socket.emit('chat', 'a', 'b');
      socket.timeout(10).emit('x', 1, (err, res) => [err, res]);
    });
  });
});
