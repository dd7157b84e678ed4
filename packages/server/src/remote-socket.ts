// A socket found by `fetchSockets()`, possibly on another node: data plus a few remote actions.
import type { Room, SocketDescriptor } from './adapter.js';
import type { Handshake } from './handshake.js';

/** The broadcast operators a remote socket's actions go through (its namespace's). */
export interface RemoteSocketScope {
  to(room: Room): { emit(event: string, ...args: [data?: unknown]): boolean };
  in(room: Room): {
    socketsJoin(rooms: Room | readonly Room[]): void;
    socketsLeave(rooms: Room | readonly Room[]): void;
    disconnectSockets(close?: boolean): void;
  };
}

/**
 * A socket of another cluster node (local sockets are returned as `Socket` themselves).
 * Its actions go through the adapter, addressed by the socket's own id room.
 */
export class RemoteSocket {
  readonly id: string;
  readonly handshake: Handshake;
  readonly rooms: ReadonlySet<Room>;
  readonly data: unknown;

  constructor(
    private readonly nsp: RemoteSocketScope,
    descriptor: SocketDescriptor,
  ) {
    this.id = descriptor.id;
    this.handshake = descriptor.handshake;
    this.rooms = new Set(descriptor.rooms);
    this.data = descriptor.data;
  }

  /** Sends an event to this socket (one payload: several values are a `TypeError`). */
  emit(event: string, ...args: [data?: unknown]): boolean {
    return this.nsp.to(this.id).emit(event, ...args);
  }

  /** Makes this socket join rooms. */
  join(rooms: Room | readonly Room[]): void {
    this.nsp.in(this.id).socketsJoin(rooms);
  }

  /** Makes this socket leave rooms. */
  leave(rooms: Room | readonly Room[]): void {
    this.nsp.in(this.id).socketsLeave(rooms);
  }

  /** Disconnects this socket. */
  disconnect(close = false): this {
    this.nsp.in(this.id).disconnectSockets(close);
    return this;
  }
}
