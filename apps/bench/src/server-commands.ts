// Argument and reply shapes of the server child's commands (`server-child.ts`), shared with scenarios.

/** Reply of `mark`: a point-in-time reading of the server process. */
export interface ServerMark {
  cpu: NodeJS.CpuUsage;
  /** Bytes this process has passed to write()/send() (/proc/self/io wchar): the bytes it put on the wire. */
  written: number;
  echoed: number;
  connections: number;
  at: number;
}

/** Arguments of `broadcast`. */
export interface BroadcastArgs {
  mode: 'paced' | 'spread' | 'tick';
  count: number;
  intervalMs: number;
  payloadBytes: number;
  /** `pad`: one padded string (compresses to nothing); `json`: realistic varied JSON records. */
  payload?: 'pad' | 'json';
  /** Broadcast to this room only (the server's `to(room)`), else to everyone. */
  room?: string;
}

/** Reply of `broadcast`: CPU and time when the first broadcast started. */
export interface BroadcastStart {
  cpu: NodeJS.CpuUsage;
  written: number;
  at: number;
}
