// The chat itself: rooms and typed events on a SmartSocket server, whatever carries it (http, https).
import type { DefaultEventsMap, SmartSocket, Socket } from '@smartsocket/server';
import type { ChatData, ClientToServer, ServerToClient } from './chat-events.js';

/** The chat's server type: typed both ways, with typed `socket.data`. */
export type ChatServer = SmartSocket<ClientToServer, ServerToClient, DefaultEventsMap, ChatData>;
type ChatSocket = Socket<ClientToServer, ServerToClient, ChatData>;

const MAX_TEXT = 500;

async function membersOf(server: ChatServer, room: string): Promise<string[]> {
  const sockets = await server.in(room).fetchSockets();
  return sockets.map((s) => (s.data as ChatData).name ?? '?').sort();
}

/**
 * Adds the chat's handlers to `server`: `join` puts the socket in one room (leaving the previous
 * one) and answers with the room's members; `say` sends to everyone in the sender's room.
 *
 * @example
 * attachChat(new SmartSocket({ server: http }));
 */
export function attachChat(server: ChatServer): ChatServer {
  server.on('join', async (socket: ChatSocket, req, ack) => {
    const room = String(req?.room ?? '').slice(0, 40);
    const name = String(req?.name ?? '').slice(0, 40);
    if (!room || !name) return ack({ members: [] });
    const previous = socket.data.room;
    if (previous) {
      socket.leave(previous);
      server.to(previous).emit('left', { room: previous, name });
    }
    socket.data.name = name;
    socket.data.room = room;
    socket.to(room).emit('joined', { room, name });
    socket.join(room);
    ack({ members: await membersOf(server, room) });
  });
  server.on('say', (socket: ChatSocket, msg, ack) => {
    const { room, name } = socket.data;
    const text = typeof msg?.text === 'string' ? msg.text.slice(0, MAX_TEXT) : '';
    if (!room || !name) return ack({ ok: false, error: 'join a room first' });
    if (!text) return ack({ ok: false, error: 'empty message' });
    server.to(room).emit('said', { room, from: name, text, at: Date.now() });
    ack({ ok: true });
  });
  server.on('disconnected', (socket: ChatSocket) => {
    const { room, name } = socket.data;
    if (room && name) server.to(room).emit('left', { room, name });
  });
  return server;
}
