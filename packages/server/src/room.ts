// The seed-compatible Room view: `server.room(name)` over the default namespace's adapter.
import type { Namespace } from './namespace.js';
import type { Socket } from './socket.js';

/**
 * A live view of one room of the default namespace (seed API). Rooms exist while they have
 * members; a view of an empty room is simply empty.
 *
 * @example
 * const room = server.room('chat');
 * room.broadcast('message', { text: 'hi' });
 * room.socketCount(); // 3
 */
export class Room {
  constructor(
    private readonly nsp: Namespace<any, any>,
    /** The room name. */
    readonly name: string,
  ) {}

  /** The sockets in the room (on this server). */
  get sockets(): Socket[] {
    const out: Socket[] = [];
    for (const id of this.nsp.adapter.rooms.get(this.name) ?? []) {
      const socket = this.nsp.sockets.get(id);
      if (socket) out.push(socket as Socket);
    }
    return out;
  }

  /** How many sockets are in the room (on this server). */
  socketCount(): number {
    return this.nsp.adapter.rooms.get(this.name)?.size ?? 0;
  }

  /** Sends `event` to everyone in the room (encoded once). */
  broadcast(event: string, data?: unknown): boolean {
    return this.nsp.to(this.name).emit(event, data);
  }

  /** Alias of `broadcast`. */
  emit(event: string, data?: unknown): boolean {
    return this.broadcast(event, data);
  }
}
