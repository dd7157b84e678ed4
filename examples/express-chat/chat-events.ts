// The chat's event maps, shared by its server and its clients (Socket.IO-style typed events).

/** What clients send. Every event carries one payload object; an ack callback comes last. */
export interface ClientToServer {
  join: (req: { room: string; name: string }, ack: (res: { members: string[] }) => void) => void;
  say: (msg: { text: string }, ack: (res: { ok: boolean; error?: string }) => void) => void;
}

/** What the server sends. */
export interface ServerToClient {
  said: (msg: { room: string; from: string; text: string; at: number }) => void;
  joined: (who: { room: string; name: string }) => void;
  left: (who: { room: string; name: string }) => void;
}

/** What the server keeps per socket (`socket.data`). */
export interface ChatData {
  name?: string;
  room?: string;
}
