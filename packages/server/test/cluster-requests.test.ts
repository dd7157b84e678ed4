// ClusterRequests: answers per node, duplicates, timeouts, departed nodes, broadcast-ack routing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterRequests } from '../src/cluster-requests.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ClusterRequests', () => {
  it('completes once every node answered, ignoring duplicates, strangers and unknown ids', () => {
    const requests = new ClusterRequests();
    const done = vi.fn();
    const id = requests.open(['a', 'b'], 1000, done);
    requests.answer(id, 'a', 1);
    requests.answer(id, 'a', 'again');
    requests.answer(id, 'zz', 'stranger');
    requests.answer(id + 1, 'b', 'wrong id');
    expect(done).not.toHaveBeenCalled();
    requests.answer(id, 'b', 2);
    expect(done).toHaveBeenCalledExactlyOnceWith(null, [1, 2]);
    requests.answer(id, 'b', 3);
    expect(done).toHaveBeenCalledTimes(1);
    expect(requests.size).toBe(0);
  });

  it('times out with ERR_ACK_001 and the answers so far', () => {
    vi.useFakeTimers();
    const requests = new ClusterRequests();
    const done = vi.fn();
    const id = requests.open(['a', 'b'], 500, done);
    requests.answer(id, 'b', 'late-but-in-time');
    vi.advanceTimersByTime(499);
    expect(done).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(done.mock.calls[0]?.[0]).toMatchObject({ code: 'ERR_ACK_001' });
    expect(done.mock.calls[0]?.[1]).toEqual(['late-but-in-time']);
    requests.answer(id, 'a', 'too late');
    expect(done).toHaveBeenCalledTimes(1);
  });

  it('stops waiting for a node that left; cancel drops a request silently', () => {
    const requests = new ClusterRequests();
    const done = vi.fn();
    const id = requests.open(['a', 'b'], 1000, done);
    requests.answer(id, 'a', 1);
    requests.forgetNode('b');
    expect(done).toHaveBeenCalledExactlyOnceWith(null, [1]);
    const cancelled = vi.fn();
    requests.cancel(requests.open(['a'], 1000, cancelled));
    expect(requests.size).toBe(0);
    expect(cancelled).not.toHaveBeenCalled();
  });

  it('routes broadcast-ack counts and acks until every node counted and every ack arrived', () => {
    const requests = new ClusterRequests();
    const counts: number[] = [];
    const acks: unknown[] = [];
    const id = requests.openAck(
      ['n1', 'n2'],
      1000,
      (n) => counts.push(n),
      (r) => acks.push(r),
    );
    requests.ackCount(id, 'n1', 2);
    requests.ackResponse(id, 'x');
    requests.ackCount(id, 'n1', 5); // a repeated count is ignored
    requests.ackCount(id, 'n2', 0);
    expect(requests.size).toBe(1);
    requests.ackResponse(id, 'y');
    expect(requests.size).toBe(0);
    requests.ackResponse(id, 'stray');
    expect(counts).toEqual([2, 0]);
    expect(acks).toEqual(['x', 'y']);
  });

  it('a node that leaves before its count arrived counts as 0 recipients', () => {
    const requests = new ClusterRequests();
    const counts: number[] = [];
    const id = requests.openAck(['n1', 'n2'], 1000, (n) => counts.push(n), vi.fn());
    requests.ackCount(id, 'n1', 0);
    expect(requests.size).toBe(1);
    requests.forgetNode('n2');
    expect(counts).toEqual([0, 0]);
    expect(requests.size).toBe(0);
  });

  it('abandonAll fails requests and completes broadcast acks with the answers so far', () => {
    const requests = new ClusterRequests();
    const done = vi.fn();
    const counts: number[] = [];
    requests.open(['a'], 1000, done);
    const id = requests.openAck(['a', 'b'], 1000, (n) => counts.push(n), vi.fn());
    requests.ackCount(id, 'a', 0);
    const err = new Error('bus down');
    requests.abandonAll(err);
    expect(done).toHaveBeenCalledExactlyOnceWith(err, []);
    expect(counts).toEqual([0, 0]);
    expect(requests.size).toBe(0);
  });

  it('closeAll settles requests with the error and drops ack routes', () => {
    const requests = new ClusterRequests();
    const done = vi.fn();
    requests.open(['a'], 1000, done);
    requests.openAck(['a'], 1000, vi.fn(), vi.fn());
    const err = new Error('closed');
    requests.closeAll(err);
    expect(done).toHaveBeenCalledExactlyOnceWith(err, []);
    expect(requests.size).toBe(0);
  });
});
