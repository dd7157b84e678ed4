// Test helpers: clients and peers that are closed after each test, and event waiting.

import type { Logger } from '@smartsocket/logger';
import { afterEach } from 'vitest';
import { type ClientOptions, SmartSocketClient } from '../../src/index.js';
import { type PeerOptions, ProtocolPeer } from './protocol-peer.js';

/** A logger that keeps lines instead of printing them. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (msg: string): void => {
      lines.push(`${level} ${msg}`);
    };
  return {
    lines,
    error: keep('error'),
    warn: keep('warn'),
    info: keep('info'),
    debug: keep('debug'),
  };
}

const clients: SmartSocketClient<any, any>[] = [];
const peers: ProtocolPeer[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

/** Fast, quiet defaults for tests. */
export const fast: ClientOptions = {
  reconnectDelay: 10,
  reconnectDelayMax: 100,
  randomizationFactor: 0,
  timeout: 2000,
};

export function makeClient(url: string, options: ClientOptions = {}): SmartSocketClient<any, any> {
  const client = new SmartSocketClient<any, any>(url, {
    logger: memoryLogger(),
    ...fast,
    ...options,
  });
  clients.push(client);
  return client;
}

export async function startPeer(options: PeerOptions = {}): Promise<ProtocolPeer> {
  const peer = await ProtocolPeer.start(options);
  peers.push(peer);
  return peer;
}

/** Resolves with the arguments of the next `event` the client emits. */
export function next(client: SmartSocketClient<any, any>, event: string): Promise<any[]> {
  return new Promise((resolve) => client.once(event, (...args: any[]) => resolve(args)));
}

/** Collects every emission of `events` as [event, ...args]. */
export function record(client: SmartSocketClient<any, any>, events: string[]): any[][] {
  const log: any[][] = [];
  for (const e of events) client.on(e, (...args: any[]) => log.push([e, ...args]));
  return log;
}

/** Waits `ms` — only to prove that something does NOT happen. */
export const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));
