// The dashboard's bounded snapshots: largest rooms first, sockets filtered and capped.
import { describe, expect, it } from 'vitest';
import {
  type InspectableConnection,
  type InspectorSource,
  largestRooms,
  listSockets,
  MAX_NAME_LENGTH,
  MAX_SOCKETS_LISTED,
} from '../src/socket-inspector.js';

function connection(id: string, namespace: string, pending = 0): InspectableConnection {
  return {
    transport: { name: 'websocket' },
    queue: { pendingBytes: pending },
    request: { address: '10.0.0.1' },
    socket: {
      id,
      nsp: { name: namespace },
      rooms: new Set([id, 'r']),
      latency: 3,
      connected: true,
      disconnect: () => undefined,
    },
  };
}

describe('largestRooms', () => {
  it('keeps the largest rooms, largest first, whatever the insertion order', () => {
    const rooms = new Map<string, Set<string>>();
    const sizes = Array.from({ length: 300 }, (_, i) => (i * 7919) % 301);
    sizes.forEach((size, i) => {
      rooms.set(`room-${i}`, new Set(Array.from({ length: size }, (_, k) => `s${k}`)));
    });
    rooms.set('own-id', new Set(['own-id']));
    rooms.set('x'.repeat(10_000), new Set(Array.from({ length: 999 }, (_, k) => `s${k}`)));
    const source: InspectorSource = {
      connections: [],
      namespaces: new Map([['/', { sockets: new Map([['own-id', {}]]), adapter: { rooms } }]]),
    };
    const { total, rooms: top } = largestRooms(source, 25);
    expect(total).toBe(301);
    // A long name is cut, so the listing stays small.
    expect(top[0]).toEqual({
      namespace: '/',
      name: `${'x'.repeat(MAX_NAME_LENGTH - 1)}…`,
      size: 999,
    });
    expect(top.slice(1).map((r) => r.size)).toEqual([...sizes].sort((a, b) => b - a).slice(0, 24));
    expect(top.some((r) => r.name === 'own-id')).toBe(false);
  });
});

describe('listSockets', () => {
  it('caps the listing, counts matches, and marks sockets past maxBufferedBytes as slow', () => {
    const connections = Array.from({ length: MAX_SOCKETS_LISTED + 50 }, (_, i) =>
      connection(`id-${String(i).padStart(4, '0')}`, i % 2 ? '/a' : '/b', i),
    );
    connections.push({ ...connection('handshaking', '/'), socket: undefined });
    const source: InspectorSource = { connections, namespaces: new Map() };
    const all = listSockets(source, { limit: 10_000 }, 100);
    expect(all).toMatchObject({ total: 250, matched: 250, limit: MAX_SOCKETS_LISTED });
    expect(all.sockets).toHaveLength(MAX_SOCKETS_LISTED);
    expect(all.sockets[0]).toEqual({
      id: 'id-0000',
      namespace: '/b',
      address: '10.0.0.1',
      transport: 'websocket',
      rooms: ['r'],
      roomCount: 1,
      bufferedBytes: 0,
      slow: false,
      latency: 3,
    });
    expect(all.sockets[101]?.slow).toBe(true);
    const some = listSockets(source, { query: 'ID-01', namespace: '/a' }, 100);
    expect(some.matched).toBe(50);
    expect(some.sockets.every((s) => s.id.startsWith('id-01') && s.namespace === '/a')).toBe(true);
  });
});
