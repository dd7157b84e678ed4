import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../src/endpoint.js';
import { SmartSocketClient } from '../src/index.js';
import { clientDefaults, resolveOptions } from '../src/options.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('resolveOptions', () => {
  it('fills the documented defaults', () => {
    const o = resolveOptions();
    expect(o).toMatchObject(clientDefaults);
    expect(o).toMatchObject({
      path: '/smartsocket',
      reconnectDelay: 1000,
      reconnectDelayMax: 60_000,
      randomizationFactor: 0.5,
      maxReconnectAttempts: 10,
      ackTimeout: 30_000,
      queueSize: 1000,
      queueMaxAge: 300_000,
      enableAcknowledgments: true,
      enableEncryption: false,
      enableCompression: true,
      compressionThreshold: 1024,
      compressionLevel: 6,
    });
    expect(o.heartbeatInterval).toBeUndefined();
  });

  it.each([
    ['reconnectDelay', { reconnectDelay: -1 }],
    ['reconnectDelayMax', { reconnectDelay: 500, reconnectDelayMax: 100 }],
    ['randomizationFactor', { randomizationFactor: 2 }],
    ['maxReconnectAttempts', { maxReconnectAttempts: 1.5 }],
    ['ackTimeout', { ackTimeout: 0 }],
    ['queueSize', { queueSize: Number.NaN }],
    ['transports', { transports: ['carrier-pigeon'] }],
    ['namespace', { namespace: 'chat' }],
    ['path', { path: 'x' }],
    ['encryptionKey', { enableEncryption: true }],
    ['encryptionKey', { encryptionKey: 'c2hvcnQ=' }],
    ['encryptionKey', { encryptionKey: 42 }],
    ['enableCompression', { enableCompression: 'yes' }],
    ['compressionThreshold', { compressionThreshold: -1 }],
    ['compressionLevel', { compressionLevel: 0 }],
    ['compressionLevel', { compressionLevel: 10 }],
    ['compressionLevel', { compressionLevel: 5.5 }],
    ['heartbeatInterval', { heartbeatInterval: 'soon' }],
    ['logger', { logger: { warn() {} } }],
    ['WebSocket', { WebSocket: 42 }],
  ])('rejects a bad %s with ERR_CONFIG_001 naming it', (name, bad) => {
    expect(() => resolveOptions(bad as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_001',
        message: expect.stringContaining(`"${name}"`),
      }),
    );
  });

  it('accepts Infinity retries and a valid key', () => {
    expect(
      resolveOptions({ maxReconnectAttempts: Number.POSITIVE_INFINITY }).maxReconnectAttempts,
    ).toBe(Number.POSITIVE_INFINITY);
    expect(resolveOptions({ encryptionKey: KEY }).enableEncryption).toBe(true);
    expect(resolveOptions({ encryptionKey: () => KEY }).enableEncryption).toBe(true);
    expect(resolveOptions({ encryptionKey: KEY, enableEncryption: false }).enableEncryption).toBe(
      false,
    );
    expect(resolveOptions({ compressionLevel: 9, compressionThreshold: 0 })).toMatchObject({
      compressionLevel: 9,
      compressionThreshold: 0,
    });
  });

  it('constructs with encryption on (no longer refused)', () => {
    expect(new SmartSocketClient('ws://127.0.0.1:1', { encryptionKey: KEY })).toBeTruthy();
    expect(() => new SmartSocketClient('ws://127.0.0.1:1', { encryptionKey: 'nope' })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_001',
        message: expect.stringContaining('"encryptionKey"'),
      }),
    );
  });

  it("accepts 'polling' alone and validates websocketTimeout", () => {
    const client = new SmartSocketClient('ws://127.0.0.1:1', { transports: ['polling'] });
    expect(client.transport).toBeUndefined();
    expect(() => new SmartSocketClient('ws://127.0.0.1:1', { websocketTimeout: 0 })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_001',
        message: expect.stringContaining('"websocketTimeout"'),
      }),
    );
  });
});

describe('resolveEndpoint', () => {
  it.each([
    ['ws://localhost:3000', undefined, 'ws://localhost:3000/smartsocket', '/'],
    ['wss://example.com/', undefined, 'wss://example.com/smartsocket', '/'],
    ['http://localhost:3000/chat', undefined, 'ws://localhost:3000/smartsocket', '/chat'],
    [
      'https://example.com:8443/a/b?x=1',
      undefined,
      'wss://example.com:8443/smartsocket?x=1',
      '/a/b',
    ],
    ['ws://localhost:3000/chat', '/other', 'ws://localhost:3000/smartsocket', '/other'],
  ])('%s (namespace %s) → %s in %s', (input, namespace, url, ns) => {
    expect(resolveEndpoint(input, { path: '/smartsocket', namespace })).toMatchObject({
      url,
      namespace: ns,
    });
  });

  it('derives the polling URL (http for ws, https for wss, query kept)', () => {
    expect(resolveEndpoint('ws://h:1/q', { path: '/rt' }).pollUrl).toBe('http://h:1/rt/poll');
    expect(resolveEndpoint('https://h/a?x=1', { path: '/s' }).pollUrl).toBe('https://h/s/poll?x=1');
  });

  it('uses the path option', () => {
    expect(resolveEndpoint('ws://h:1/q', { path: '/rt' }).url).toBe('ws://h:1/rt');
  });

  it('rejects other schemes and garbage with ERR_CONFIG_001', () => {
    expect(() => resolveEndpoint('ftp://x', { path: '/s' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_001' }),
    );
    expect(() => resolveEndpoint('not a url', { path: '/s' })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_001' }),
    );
  });
});
