// End to end: a real quiz server on 127.0.0.1:0 and @smartsocket/client players over WebSocket.
import type { Socket as NetSocket } from 'node:net';
import { SmartSocketClient } from '@smartsocket/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Question } from '../src/game.js';
import { type QuizApp, startQuizApp } from '../src/quiz-app.js';
import { Inbox } from './helpers/inbox.js';

const questions: Question[] = [
  { text: 'Q1', choices: ['a', 'b', 'c', 'd'], answer: 2 },
  { text: 'Q2', choices: ['a', 'b'], answer: 0 },
  { text: 'Q3', choices: ['a', 'b', 'c'], answer: 1 },
];
const EVENTS = ['leaderboard', 'question', 'progress', 'reveal', 'finished'];

/** A request and its ack response (the quiz answers every request). */
const ask = (client: SmartSocketClient<any, any>, event: string, data: unknown): Promise<any> =>
  client.emitWithAck(event, data) as Promise<any>;

describe('quiz over SmartSocket', () => {
  let app: QuizApp;
  let tcp: Set<NetSocket>;
  const clients: SmartSocketClient<any, any>[] = [];

  beforeEach(async () => {
    app = await startQuizApp({
      port: 0,
      host: '127.0.0.1',
      clientBundle: false,
      // Everyone answering closes a question, so the long question time is never waited for.
      quiz: {
        questions,
        ordered: true,
        questionCount: 3,
        questionTimeMs: 10_000,
        revealTimeMs: 30,
      },
    });
    tcp = new Set();
    app.http.on('connection', (s: NetSocket) => {
      tcp.add(s);
      s.once('close', () => tcp.delete(s));
    });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await app.close();
  });

  /** A connected client with an inbox of the game's room events. */
  async function connect(): Promise<{ client: SmartSocketClient<any, any>; inbox: Inbox }> {
    const client = new SmartSocketClient<any, any>(`ws://127.0.0.1:${app.port}`, {
      namespace: '/quiz',
      reconnectDelay: 20,
      reconnectDelayMax: 100,
      randomizationFactor: 0,
      ackTimeout: 5000,
    });
    clients.push(client);
    const inbox = new Inbox(client, EVENTS);
    await client.connect();
    return { client, inbox };
  }

  /** Like the page: after every (re)connection, re-attach the stored player token. */
  function rejoinOnReconnect(client: SmartSocketClient<any, any>, token: string): Promise<any>[] {
    const rejoins: Promise<any>[] = [];
    client.on('reconnected', () => {
      rejoins.push(ask(client, 'rejoin', { token }));
    });
    return rejoins;
  }

  it('plays a game: join, start, answers with acks, live leaderboard, rejoin after reload', async () => {
    const host = await connect();
    const created = await ask(host.client, 'create', {});
    expect(created.code).toMatch(/^[A-Z]{4}$/);
    expect(created.game.phase).toBe('lobby');

    const ada = await connect();
    const bob = await connect();
    const adaJoin = await ask(ada.client, 'join', {
      code: created.code.toLowerCase(),
      name: 'Ada',
    });
    expect(adaJoin).toMatchObject({ code: created.code, playerId: 'p1', game: { phase: 'lobby' } });
    expect(typeof adaJoin.token).toBe('string');
    const bobJoin = await ask(bob.client, 'join', { code: created.code, name: 'Bob' });
    expect(await ask(bob.client, 'join', { code: 'ZZZZ', name: 'Eve' })).toEqual({
      error: expect.any(String),
      code: 'GAME_NOT_FOUND',
    });
    const lobby = await host.inbox.waitFor('leaderboard', (d) => d.leaderboard.length === 2);
    expect(lobby.leaderboard.map((e: any) => [e.name, e.connected])).toEqual([
      ['Ada', true],
      ['Bob', true],
    ]);

    expect((await ask(ada.client, 'start', {})).code).toBe('NOT_HOST');
    expect(await ask(host.client, 'start', {})).toEqual({ ok: true });

    // Question 1 reaches everyone in the room; Ada is right, Bob is wrong.
    const q1 = await Promise.all(
      [host, ada, bob].map((p) => p.inbox.waitFor('question', (d) => d.index === 0)),
    );
    expect(q1[1]).toMatchObject({ index: 0, total: 3, text: 'Q1', choices: ['a', 'b', 'c', 'd'] });
    expect(q1[1].remainingMs).toBeGreaterThan(0);
    const a1 = await ask(ada.client, 'answer', { index: 0, choice: 2 });
    expect(a1).toMatchObject({ correct: true, correctChoice: 2 });
    expect(a1.points).toBeGreaterThan(500);
    expect(a1.score).toBe(a1.points);
    expect((await ask(ada.client, 'answer', { index: 0, choice: 1 })).code).toBe(
      'ALREADY_ANSWERED',
    );
    // Everyone sees Ada's points on the live leaderboard.
    const live = await bob.inbox.waitFor('leaderboard', (d) => d.leaderboard[0]?.score > 0);
    expect(live.leaderboard[0]).toMatchObject({ name: 'Ada', score: a1.score, rank: 1 });
    const b1 = await ask(bob.client, 'answer', { index: 0, choice: 0 });
    expect(b1).toMatchObject({ correct: false, points: 0, score: 0 });
    const r1 = await host.inbox.waitFor('reveal', (d) => d.index === 0);
    expect(r1).toMatchObject({ correctChoice: 2, counts: [1, 0, 1, 0] });

    // Question 2: Ada answers, then "reloads" her page (a fresh client with her stored token).
    await ada.inbox.waitFor('question', (d) => d.index === 1);
    const a2 = await ask(ada.client, 'answer', { index: 1, choice: 0 });
    expect(a2.score).toBeGreaterThan(a1.score);
    ada.client.disconnect();
    const gone = await host.inbox.waitFor('leaderboard', (d) =>
      d.leaderboard.some((e: any) => e.name === 'Ada' && !e.connected),
    );
    expect(gone.leaderboard.find((e: any) => e.name === 'Ada').score).toBe(a2.score);
    const ada2 = await connect();
    const back = await ask(ada2.client, 'rejoin', { token: adaJoin.token });
    expect(back).toMatchObject({
      code: created.code,
      playerId: 'p1',
      game: { phase: 'question', you: { name: 'Ada', score: a2.score, answer: { index: 1 } } },
    });
    expect((await ask(ada2.client, 'rejoin', { token: 'forged' })).code).toBe('BAD_TOKEN');
    await ask(ada2.client, 'rejoin', { token: adaJoin.token });
    // Bob's answer closes question 2 (Ada already answered it before reloading).
    await ask(bob.client, 'answer', { index: 1, choice: 1 });

    // Question 3 reaches the rejoined Ada; her score carries on.
    await ada2.inbox.waitFor('question', (d) => d.index === 2);
    const a3 = await ask(ada2.client, 'answer', { index: 2, choice: 1 });
    expect(a3.score).toBe(a2.score + a3.points);
    await ask(bob.client, 'answer', { index: 2, choice: 1 });
    const end = await Promise.all([host, ada2, bob].map((p) => p.inbox.waitFor('finished')));
    expect(end[0].leaderboard.map((e: any) => [e.name, e.score])).toEqual([
      ['Ada', a3.score],
      ['Bob', expect.any(Number)],
    ]);
    expect(end[1]).toEqual(end[2]);
    // The results travel with the end: one line of stats per question asked.
    expect(end[0].stats.map((s: any) => [s.text, s.answered])).toEqual([
      ['Q1', 2],
      ['Q2', 2],
      ['Q3', 2],
    ]);
    expect(bobJoin.playerId).toBe('p2');
  });

  it('a player whose network drops mid-question keeps the session: no rejoin, nothing missed', async () => {
    const host = await connect();
    const { code } = await ask(host.client, 'create', {});
    const ada = await connect();
    await ask(ada.client, 'join', { code, name: 'Ada' });
    await ask(host.client, 'start', {});
    await ada.inbox.waitFor('question', (d) => d.index === 0);
    const a1 = await ask(ada.client, 'answer', { index: 0, choice: 2 });
    await ada.inbox.waitFor('question', (d) => d.index === 1);
    const connectedAgain = new Promise((resolve) => ada.client.once('connected', resolve));
    // Every link drops; Ada answers while hers is down: the answer is delivered once.
    const adaId = ada.client.id;
    for (const s of tcp) s.destroy();
    const a2 = await ask(ada.client, 'answer', { index: 1, choice: 0 });
    await connectedAgain;
    expect(ada.client.recovered).toBe(true);
    expect(ada.client.id).toBe(adaId);
    expect(a2.score).toBe(a1.score + a2.points);
    // The reveal of question 2 reaches her without a rejoin.
    await ada.inbox.waitFor('reveal', (d) => d.index === 1);
  });

  it('brings players and host back after the network drops, scores kept', async () => {
    const host = await connect();
    const { code, hostToken } = await ask(host.client, 'create', {});
    const ada = await connect();
    const { token } = await ask(ada.client, 'join', { code, name: 'Ada' });
    const adaRejoins = rejoinOnReconnect(ada.client, token);
    const hostResumes: Promise<any>[] = [];
    host.client.on('reconnected', () =>
      hostResumes.push(ask(host.client, 'host:resume', { hostToken })),
    );
    await ask(host.client, 'start', {});
    await ada.inbox.waitFor('question', (d) => d.index === 0);
    const a1 = await ask(ada.client, 'answer', { index: 0, choice: 2 });
    // Ada was the only one to answer, so question 2 follows the short reveal.
    await Promise.all([host, ada].map((p) => p.inbox.waitFor('question', (d) => d.index === 1)));

    // Cut every TCP connection: the clients reconnect on their own and re-attach their tokens.
    const reconnected = Promise.all(
      [host, ada].map((p) => new Promise((resolve) => p.client.once('reconnected', resolve))),
    );
    for (const s of tcp) s.destroy();
    await reconnected;
    await expect.poll(() => adaRejoins.length + hostResumes.length).toBe(2);
    const [rejoined] = await Promise.all(adaRejoins);
    const [resumed] = await Promise.all(hostResumes);
    // The snapshot in the ack is what the page redraws from: still question 2, same score.
    expect(rejoined.game).toMatchObject({ phase: 'question', question: { index: 1 } });
    expect(rejoined.game.you).toMatchObject({ id: 'p1', score: a1.score });
    expect(resumed).toMatchObject({ code, hostToken, game: { phase: 'question' } });

    // The game goes on in the same room for both.
    const a2 = await ask(ada.client, 'answer', { index: 1, choice: 0 });
    expect(a2.score).toBe(a1.score + a2.points);
    await host.inbox.waitFor('reveal', (d) => d.index === 1);
    expect(await ask(host.client, 'next', {})).toEqual({ ok: true });
  });
});
