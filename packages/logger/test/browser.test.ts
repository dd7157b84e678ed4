// Runs the bundled package in a bare VM context: no `process`, no `node:` modules, like a browser.
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'SmartSocketLogger',
    platform: 'browser',
  });
  return out.outputFiles[0]!.text;
}

describe('in a browser-like context', () => {
  it('reads localStorage.debug and logs to the console without touching process', async () => {
    const code = await bundle();
    expect(code).not.toMatch(/require\(|node:/);
    const lines: unknown[][] = [];
    const context = {
      console: { debug: (...a: unknown[]) => lines.push(['debug', ...a]) },
      localStorage: { getItem: (key: string) => (key === 'debug' ? 'smartsocket:client' : null) },
    };
    runInNewContext(
      `${code}
      const client = SmartSocketLogger.createLogger('client');
      const server = SmartSocketLogger.createLogger('server');
      client.debug('Connecting to ws://localhost:3000');
      server.debug('hidden');`,
      context,
    );
    expect(lines).toEqual([
      ['debug', '[smartsocket:client] [debug] Connecting to ws://localhost:3000'],
    ]);
  });

  it('stays at warn when storage is missing or denied', async () => {
    const code = await bundle();
    const denied = {
      getItem() {
        throw new Error('SecurityError');
      },
    };
    for (const localStorage of [undefined, denied]) {
      const result = runInNewContext(`${code}; SmartSocketLogger.createLogger('client').level`, {
        localStorage,
      });
      expect(result).toBe('warn');
    }
  });
});
