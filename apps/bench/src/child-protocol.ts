// IPC message shapes between the orchestrator and its children, and the child-side command loop.

/** Orchestrator → child: run one named command. */
export interface CommandMessage {
  kind: 'cmd';
  id: number;
  cmd: string;
  args: unknown;
}

/** Child → orchestrator: the answer to one command. */
export interface ReplyMessage {
  kind: 'reply';
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Child → orchestrator: sent once when the child is ready for commands. */
export interface ReadyMessage {
  kind: 'ready';
  pid: number;
}

export type ChildMessage = ReplyMessage | ReadyMessage;

/** Environment variable holding the child's hard lifetime limit in ms. */
export const CHILD_TIMEOUT_ENV = 'BENCH_CHILD_TIMEOUT_MS';

/** Command arguments are shaped per command. */
export type CommandHandler = (args: any) => unknown;

/**
 * Serves commands from the parent over IPC. The child exits on its own when the parent goes away
 * (IPC 'disconnect') or when its hard lifetime limit passes, so no orphan outlives a crashed run.
 */
export function serveCommands(handlers: Record<string, CommandHandler>): void {
  const send = process.send?.bind(process);
  if (!send)
    throw new Error('bench child must be started with an IPC channel (child_process.fork)');
  process.on('disconnect', () => process.exit(0));
  const limit = Number(process.env[CHILD_TIMEOUT_ENV] ?? 600_000);
  setTimeout(() => {
    process.stderr.write(`bench child ${process.pid}: hard timeout ${limit} ms, exiting\n`);
    process.exit(3);
  }, limit).unref();
  process.on('message', (raw) => {
    const msg = raw as CommandMessage;
    if (msg?.kind !== 'cmd') return;
    void run(msg, handlers, send);
  });
  send({ kind: 'ready', pid: process.pid } satisfies ReadyMessage);
}

async function run(
  msg: CommandMessage,
  handlers: Record<string, CommandHandler>,
  send: (m: ReplyMessage) => boolean,
): Promise<void> {
  let reply: ReplyMessage;
  try {
    const handler = handlers[msg.cmd];
    if (!handler) throw new Error(`unknown command ${msg.cmd}`);
    reply = { kind: 'reply', id: msg.id, ok: true, result: await handler(msg.args) };
  } catch (err) {
    const error = err instanceof Error ? `${err.message}` : String(err);
    reply = { kind: 'reply', id: msg.id, ok: false, error };
  }
  if (process.connected) send(reply);
}
