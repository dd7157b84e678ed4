import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SmartSocket } from '@smartsocket/server';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger, startPeer } from './helpers/setup.js';

const fixture = fileURLToPath(new URL('./fixtures/connect-then-disconnect.ts', import.meta.url));
const cwd = fileURLToPath(new URL('..', import.meta.url));
const children = new Set<ReturnType<typeof spawn>>();

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

/** Runs the fixture; resolves with its exit code and output, or 'hung' if it outlives `limit`. */
function run(args: string[], limit = 8000): Promise<{ code: number | null | 'hung'; out: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@smartsocket/source', '--import', 'tsx', fixture, ...args],
    {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ code: 'hung', out }), limit);
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, out });
    });
  });
}

describe('after disconnect() nothing keeps the process alive', () => {
  it('with a pending ack and queued emits', async () => {
    const peer = await startPeer();
    const result = await run([peer.url, 'connected']);
    expect(result).toEqual({ code: 0, out: 'disconnected\n' });
  }, 15_000);

  it('while waiting to reconnect', async () => {
    const peer = await startPeer();
    const url = peer.url;
    await peer.close();
    const result = await run([url, 'reconnecting']);
    expect(result).toEqual({ code: 0, out: 'disconnected\n' });
  }, 15_000);

  it('over long-polling (the held GET is aborted, no socket kept)', async () => {
    const server = new SmartSocket({ host: '127.0.0.1', port: 0, logger: memoryLogger() });
    await server.start();
    try {
      const result = await run([`ws://127.0.0.1:${server.port}`, 'connected', 'polling']);
      expect(result).toEqual({ code: 0, out: 'disconnected\n' });
    } finally {
      await server.stop();
    }
  }, 15_000);
});
