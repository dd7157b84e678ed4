// The messages the node:cluster bus sends over IPC between a worker's transports and the primary.

/** Tag of every bus message, so the app's own IPC messages pass by untouched. */
export const IPC_TAG = 'smartsocket:bus';

/**
 * One bus message. Worker → primary: `sub`/`unsub` (channels), `pub` (one channel, bytes).
 * Primary → worker: `msg` (one channel, bytes). `t` is the transport id within its worker (a
 * worker may run several servers); bytes travel as base64 so the default JSON serialization of
 * IPC carries them.
 */
export interface IpcBusMessage {
  tag: typeof IPC_TAG;
  op: 'sub' | 'unsub' | 'pub' | 'msg';
  t: number;
  ch: string | string[];
  b?: string;
}

/** Whether an IPC message is one of ours (and well formed enough to route). */
export function isBusMessage(msg: unknown): msg is IpcBusMessage {
  const m = msg as Partial<IpcBusMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.tag === IPC_TAG &&
    typeof m.t === 'number' &&
    (typeof m.ch === 'string' || Array.isArray(m.ch))
  );
}
