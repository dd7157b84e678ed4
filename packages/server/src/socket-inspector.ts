// Bounded snapshots of live sockets, rooms and namespaces for the dashboard (never the whole server).
import type { TransportName } from './stats-collector.js';

/** The few connection details the inspector reads (a `Connection` has them). */
export interface InspectableConnection {
  readonly transport: { readonly name: TransportName };
  readonly queue: { readonly pendingBytes: number };
  readonly request: { readonly address: string };
  readonly socket:
    | {
        readonly id: string;
        readonly nsp: { readonly name: string };
        readonly rooms: ReadonlySet<string>;
        readonly latency: number;
        readonly connected: boolean;
        disconnect(): unknown;
      }
    | undefined;
}

/** The few namespace details the inspector reads (a `Namespace` has them). */
export interface InspectableNamespace {
  readonly sockets: ReadonlyMap<string, unknown>;
  readonly adapter: { readonly rooms: ReadonlyMap<string, ReadonlySet<string>> };
}

/** What the inspector looks at: the server's connections and namespaces, live. */
export interface InspectorSource {
  readonly connections: Iterable<InspectableConnection>;
  readonly namespaces: ReadonlyMap<string, InspectableNamespace>;
}

/** One socket as the dashboard lists it. */
export interface SocketSummary {
  id: string;
  namespace: string;
  address: string;
  transport: TransportName;
  /** Up to {@link ROOMS_PER_SOCKET} room names, the socket's own id room excluded. */
  rooms: string[];
  /** How many rooms the socket is in, its own id room excluded. */
  roomCount: number;
  /** Bytes queued for this socket and not yet written to the network. */
  bufferedBytes: number;
  /** Whether `bufferedBytes` is past `maxBufferedBytes` (volatile messages are being dropped). */
  slow: boolean;
  /** Last heartbeat round trip in ms. */
  latency: number;
}

/** One room as the dashboard lists it. */
export interface RoomSummary {
  namespace: string;
  name: string;
  size: number;
}

/** Most sockets one listing returns. */
export const MAX_SOCKETS_LISTED = 200;
/** Most rooms one listing returns (the largest first). */
export const MAX_ROOMS_LISTED = 100;
/** Most room names shown per socket. */
export const ROOMS_PER_SOCKET = 10;
/** Room names longer than this are cut (with `…`), so a listing stays small whatever apps name rooms. */
export const MAX_NAME_LENGTH = 120;
/** Longest id search accepted (socket ids are 36 characters). */
export const MAX_QUERY_LENGTH = 64;

/** A socket listing: at most `limit` sockets out of `matched` that fit the filter (`total` open). */
export interface SocketListing {
  total: number;
  matched: number;
  limit: number;
  sockets: SocketSummary[];
}

/** Filters of {@link listSockets}. */
export interface SocketFilter {
  /** Only sockets whose id contains this text. */
  query?: string;
  /** Only sockets of this namespace. */
  namespace?: string;
  /** At most this many (capped at {@link MAX_SOCKETS_LISTED}). */
  limit?: number;
}

/**
 * Lists open sockets, in connection order, filtered by id text and namespace: at most
 * {@link MAX_SOCKETS_LISTED}, however many the server holds.
 *
 * @example
 * listSockets(source, { query: '3f2a', limit: 20 }, 1 << 20).sockets[0]?.id;
 */
export function listSockets(
  source: InspectorSource,
  filter: SocketFilter,
  maxBufferedBytes: number,
): SocketListing {
  const limit = Math.max(1, Math.min(filter.limit ?? MAX_SOCKETS_LISTED, MAX_SOCKETS_LISTED));
  const query = filter.query?.toLowerCase();
  const sockets: SocketSummary[] = [];
  let total = 0;
  let matched = 0;
  for (const conn of source.connections) {
    const socket = conn.socket;
    if (socket === undefined || !socket.connected) continue;
    total++;
    if (filter.namespace !== undefined && socket.nsp.name !== filter.namespace) continue;
    if (query && !socket.id.includes(query)) continue;
    matched++;
    if (sockets.length < limit) sockets.push(summarize(conn, socket, maxBufferedBytes));
  }
  return { total, matched, limit, sockets };
}

function summarize(
  conn: InspectableConnection,
  socket: NonNullable<InspectableConnection['socket']>,
  maxBufferedBytes: number,
): SocketSummary {
  const rooms: string[] = [];
  let roomCount = 0;
  for (const room of socket.rooms) {
    if (room === socket.id) continue;
    roomCount++;
    if (rooms.length < ROOMS_PER_SOCKET) rooms.push(clip(room));
  }
  const bufferedBytes = conn.queue.pendingBytes;
  return {
    id: socket.id,
    namespace: socket.nsp.name,
    address: conn.request.address,
    transport: conn.transport.name,
    rooms,
    roomCount,
    bufferedBytes,
    slow: bufferedBytes > maxBufferedBytes,
    latency: socket.latency,
  };
}

/** The open socket with this exact id, in any namespace. */
export function findConnection(
  source: InspectorSource,
  id: string,
): InspectableConnection | undefined {
  for (const conn of source.connections) if (conn.socket?.id === id) return conn;
  return undefined;
}

/** The largest rooms of every namespace (sockets' own id rooms excluded) and how many there are. */
export function largestRooms(
  source: InspectorSource,
  limit = MAX_ROOMS_LISTED,
): { total: number; rooms: RoomSummary[] } {
  // Kept sorted by size, largest first, never longer than `limit`: O(rooms × log limit) compares.
  const top: RoomSummary[] = [];
  let total = 0;
  for (const [namespace, nsp] of source.namespaces) {
    for (const [name, members] of nsp.adapter.rooms) {
      if (nsp.sockets.has(name)) continue;
      total++;
      const size = members.size;
      if (top.length === limit && (top[limit - 1] as RoomSummary).size >= size) continue;
      let lo = 0;
      let hi = top.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((top[mid] as RoomSummary).size >= size) lo = mid + 1;
        else hi = mid;
      }
      top.splice(lo, 0, { namespace, name: clip(name), size });
      if (top.length > limit) top.pop();
    }
  }
  return { total, rooms: top };
}

function clip(name: string): string {
  return name.length <= MAX_NAME_LENGTH ? name : `${name.slice(0, MAX_NAME_LENGTH - 1)}…`;
}

/** Open sockets per namespace (every namespace the server serves, up to `limit` of them). */
export function socketsByNamespace(
  source: InspectorSource,
  limit = MAX_ROOMS_LISTED,
): Record<string, number> {
  // Null prototype: a namespace called `__proto__` stays a plain key.
  const out: Record<string, number> = Object.create(null);
  let n = 0;
  for (const [name, nsp] of source.namespaces) {
    if (n++ >= limit) break;
    out[name] = nsp.sockets.size;
  }
  return out;
}
