// The in-process bus, and ClusterAdapter behaviour that needs no sockets: node liveness,
// pending requests when nodes leave or the adapter closes, transport ownership, bad messages.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AdapterNamespace } from '../src/adapter.js';
import { ClusterAdapter, createClusterAdapter } from '../src/cluster-adapter.js';
import { type ClusterTransport, createInProcessBus } from '../src/cluster-bus.js';
import { encodeEnvelope, MessageType } from '../src/cluster-envelope.js';

const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('createInProcessBus', () => {
  it('delivers a copy to every subscriber of the channel, asynchronously and in order', async () => {
    const bus = createInProcessBus();
    const [a, b, c] = [bus(), bus(), bus()];
    const got: string[] = [];
    a.subscribe('ch', (bytes) => got.push(`a${bytes[0]}`));
    b.subscribe('ch', (bytes) => got.push(`b${bytes[0]}`));
    c.subscribe('other', () => got.push('c'));
    const bytes = new Uint8Array([1]);
    a.publish('ch', bytes);
    a.publish('ch', new Uint8Array([2]));
    bytes[0] = 9; // the bus copied at publish time
    expect(got).toEqual([]);
    await vi.waitFor(() => expect(got).toHaveLength(4));
    expect(got).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('stops delivering after unsubscribe or close, even for messages already in flight', async () => {
    const bus = createInProcessBus();
    const [a, b] = [bus(), bus()];
    const got: number[] = [];
    b.subscribe('ch', (bytes) => got.push(bytes[0] as number));
    a.publish('ch', new Uint8Array([1]));
    b.unsubscribe?.('ch');
    a.publish('ch', new Uint8Array([2]));
    b.subscribe('ch', (bytes) => got.push(bytes[0] as number));
    a.publish('ch', new Uint8Array([3]));
    b.close();
    await tick();
    await tick();
    expect(got).toEqual([]);
    expect(() => b.publish('ch', new Uint8Array([4]))).toThrow();
    // A closed transport opens again on subscribe (a restarted server rejoins).
    b.subscribe(['ch', 'other'], (bytes) => got.push(bytes[0] as number));
    a.publish('other', new Uint8Array([5]));
    await vi.waitFor(() => expect(got).toEqual([5]));
  });

  it('simulates an outage: nothing arrives, publishing throws, subscriptions come back', async () => {
    const bus = createInProcessBus();
    const [a, b] = [bus(), bus()];
    const got: number[] = [];
    const changes: boolean[] = [];
    const off = b.onConnectionChange((up) => changes.push(up));
    b.subscribe('ch', (bytes) => got.push(bytes[0] as number));
    b.setConnected(false);
    expect(b.connected).toBe(false);
    expect(() => b.publish('ch', new Uint8Array([0]))).toThrow();
    a.publish('ch', new Uint8Array([1]));
    b.setConnected(true);
    a.publish('ch', new Uint8Array([2]));
    await vi.waitFor(() => expect(got).toEqual([2]));
    off();
    b.setConnected(false);
    expect(changes).toEqual([false, true]);
  });
});

function fakeNamespace(name = '/'): AdapterNamespace & { emits: unknown[][] } {
  const emits: unknown[][] = [];
  let ackId = 0;
  return {
    name,
    sockets: new Map(),
    emits,
    nextAckId: () => ++ackId,
    receiveServerSideEmit(event, args, ack) {
      emits.push([event, ...args]);
      if (ack && event === 'answer') ack(`answer from ${name}`);
    },
  };
}

const adapters: ClusterAdapter[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const a of adapters.splice(0)) await a.close();
});

async function node(
  transport: ClusterTransport,
  options: ConstructorParameters<typeof ClusterAdapter>[2] = {},
  nsp = fakeNamespace(),
) {
  const adapter = new ClusterAdapter(nsp, transport, {
    heartbeatInterval: 20,
    heartbeatTimeout: 100,
    requestTimeout: 300,
    ...options,
  });
  adapters.push(adapter);
  await adapter.init();
  return { adapter, nsp };
}

describe('ClusterAdapter (no sockets)', () => {
  it('validates its options with ERR_CONFIG_001', () => {
    const bus = createInProcessBus();
    for (const bad of [
      { requestTimeout: 0 },
      { heartbeatInterval: -1 },
      { heartbeatTimeout: Number.NaN },
      { channelPrefix: '' },
    ]) {
      expect(() => createClusterAdapter(bus(), bad)).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG_001' }),
      );
    }
  });

  it('keeps a silent peer only until heartbeatTimeout', async () => {
    const bus = createInProcessBus();
    const { adapter: a } = await node(bus());
    const silentTransport = bus();
    // A peer that says hello once and then never again (crashed without BYE).
    const id = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    silentTransport.publish('smartsocket#/#', encodeEnvelope(MessageType.HELLO, id, 0, undefined));
    await vi.waitFor(() => expect(a.serverCount()).toBe(2));
    await vi.waitFor(() => expect(a.serverCount()).toBe(1), { timeout: 2000 });
  });

  it('live peers keep each other alive with heartbeats', async () => {
    const bus = createInProcessBus();
    const { adapter: a } = await node(bus());
    await node(bus());
    await vi.waitFor(() => expect(a.serverCount()).toBe(2));
    // Several heartbeat timeouts later both are still known.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(a.serverCount()).toBe(2);
  });

  it('answers serverSideEmit at once when alone, and stops waiting for a node that leaves', async () => {
    const bus = createInProcessBus();
    const { adapter: a } = await node(bus());
    const alone = vi.fn();
    a.serverSideEmit('answer', [], alone);
    expect(alone).toHaveBeenCalledWith(null, []);

    const { adapter: b } = await node(bus());
    const { adapter: c, nsp: cNsp } = await node(bus());
    cNsp.receiveServerSideEmit = () => {}; // c never answers
    await vi.waitFor(() => expect(a.serverCount()).toBe(3));
    const done = new Promise<[Error | null, unknown[]]>((resolve) =>
      a.serverSideEmit('answer', [1], (err, res) => resolve([err, res])),
    );
    await tick();
    await c.close(); // BYE: a no longer waits for c
    expect(await done).toEqual([null, ['answer from /']]);
    expect(b.serverCount()).toBe(2);
  });

  it('settles pending requests when it closes, and ignores its own and malformed messages', async () => {
    const bus = createInProcessBus();
    const transport = bus();
    const { adapter: a, nsp } = await node(transport, { heartbeatTimeout: 10_000 });
    // A peer that is known but never answers.
    const other = bus();
    const deaf = new Uint8Array([9, 9, 9, 9, 9, 9, 9, 9]);
    other.publish('smartsocket#/#', encodeEnvelope(MessageType.HEARTBEAT, deaf, 0, undefined));
    await vi.waitFor(() => expect(a.serverCount()).toBe(2));
    const fetching = a.fetchSockets({ rooms: new Set(), except: new Set(), flags: {} });
    const emitting = new Promise<Error | null>((resolve) =>
      a.serverSideEmit('answer', [], (err) => resolve(err)),
    );
    // Garbage and a message claiming to be from `a` itself change nothing.
    other.publish('smartsocket#/#', new Uint8Array([1, 2, 3]));
    other.publish('smartsocket#/#', new Uint8Array(40).fill(0xff));
    const own = Buffer.from(a.nodeId, 'hex');
    other.publish(
      'smartsocket#/#',
      encodeEnvelope(MessageType.SERVER_SIDE_EMIT, own, 0, { ev: 'x', args: [] }),
    );
    // …while the same message from another node is handled (and, being later, proves the
    // earlier ones were processed).
    other.publish(
      'smartsocket#/#',
      encodeEnvelope(MessageType.SERVER_SIDE_EMIT, deaf, 0, { ev: 'y', args: [1] }),
    );
    await vi.waitFor(() => expect(nsp.emits).toHaveLength(1));
    expect(nsp.emits).toEqual([['y', 1]]);
    await a.close();
    await expect(fetching).rejects.toMatchObject({ code: 'ERR_CONN_006' });
    expect(await emitting).toMatchObject({ code: 'ERR_CONN_006' });
  });

  it('closes the transport when the last adapter on it closes (unless told not to)', async () => {
    const bus = createInProcessBus();
    const shared = bus();
    const close = vi.spyOn(shared, 'close');
    const factory = createClusterAdapter(shared, { heartbeatTimeout: 100 });
    const root = factory(fakeNamespace('/'));
    const chat = factory(fakeNamespace('/chat'));
    await root.init();
    await chat.init();
    await root.close();
    expect(close).not.toHaveBeenCalled();
    await chat.close();
    expect(close).toHaveBeenCalledTimes(1);

    const kept = bus();
    const keptClose = vi.spyOn(kept, 'close');
    const solo = createClusterAdapter(kept, { closeTransport: false })(fakeNamespace());
    await solo.init();
    await solo.close();
    expect(keptClose).not.toHaveBeenCalled();
    kept.close();
  });

  it('serverSideEmit carries binary arguments and answers across the bus', async () => {
    const bus = createInProcessBus();
    const { adapter: a } = await node(bus());
    const { nsp: bNsp } = await node(bus());
    bNsp.receiveServerSideEmit = (_event, args, ack) => ack?.({ echo: args[0] });
    await vi.waitFor(() => expect(a.serverCount()).toBe(2));
    const res = await new Promise<unknown[]>((resolve) =>
      a.serverSideEmit('bin', [new Uint8Array([7, 8, 9])], (_err, r) => resolve(r)),
    );
    expect(res).toEqual([{ echo: new Uint8Array([7, 8, 9]) }]);
    // Arguments the codec cannot carry throw at once (and leave no request behind).
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const ack = vi.fn();
    expect(() => a.serverSideEmit('bad', [cyclic], ack)).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_001' }),
    );
    expect(() => a.serverSideEmit('bad', [cyclic])).toThrow(
      expect.objectContaining({ code: 'ERR_MSG_001' }),
    );
    expect(ack).not.toHaveBeenCalled();
  });
});
