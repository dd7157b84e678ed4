import { describe, expect, it } from 'vitest';
import { readDebugEnv } from '../src/debug-env.js';
import { namespaceEnabled } from '../src/debug-namespaces.js';

describe('namespaceEnabled', () => {
  it.each([
    ['smartsocket:*', 'smartsocket:server', true],
    ['smartsocket:*', 'smartsocket', false],
    ['smartsocket:server', 'smartsocket:server', true],
    ['smartsocket:server', 'smartsocket:serverx', false],
    ['smartsocket:server', 'smartsocket:client', false],
    ['a,b smartsocket:client', 'smartsocket:client', true],
    ['*', 'smartsocket:client', true],
    ['*:client', 'smartsocket:client', true],
    ['smart*:*ent', 'smartsocket:client', true],
    ['smart*:*ver', 'smartsocket:client', false],
    ['s*s*s', 'ss', false],
    ['-smartsocket:*', 'smartsocket:server', false],
    ['smartsocket:*,-smartsocket:server', 'smartsocket:server', false],
    ['', 'smartsocket:server', false],
    [' , ', 'smartsocket:server', false],
  ])('%j enables %s: %s', (list, namespace, expected) => {
    expect(namespaceEnabled(list, namespace)).toBe(expected);
  });

  it('treats regex metacharacters literally', () => {
    expect(namespaceEnabled('smartsocket.server', 'smartsocket:server')).toBe(false);
    expect(namespaceEnabled('(a+)+$', '(a+)+$')).toBe(true);
  });
});

describe('readDebugEnv', () => {
  it('prefers process.env.DEBUG, then localStorage.debug', () => {
    const storage = { getItem: (key: string) => (key === 'debug' ? 'smartsocket:client' : null) };
    expect(
      readDebugEnv({ process: { env: { DEBUG: 'smartsocket:*' } }, localStorage: storage }),
    ).toBe('smartsocket:*');
    expect(readDebugEnv({ process: { env: {} }, localStorage: storage })).toBe(
      'smartsocket:client',
    );
    expect(readDebugEnv({ localStorage: storage })).toBe('smartsocket:client');
    expect(readDebugEnv({})).toBeUndefined();
  });

  it('survives storage that throws on access', () => {
    const denied = {
      getItem(): string | null {
        throw new Error('SecurityError');
      },
    };
    expect(readDebugEnv({ localStorage: denied })).toBeUndefined();
  });
});
