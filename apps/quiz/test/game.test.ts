// The game state machine driven by a manual clock: lobby, questions, scoring, reveal, rejoin.
import { beforeEach, describe, expect, it } from 'vitest';
import { Game, type GameEvents, normalizeName, type Question } from '../src/game.js';
import { GameError } from '../src/game-error.js';
import { GameRegistry } from '../src/game-registry.js';
import { pickQuestions } from '../src/questions.js';
import { scoreAnswer } from '../src/scoring.js';
import { ManualClock } from './helpers/manual-clock.js';

const questions: Question[] = [
  { text: 'One?', choices: ['a', 'b', 'c'], answer: 0 },
  { text: 'Two?', choices: ['a', 'b'], answer: 1 },
];

type Event = { [E in keyof GameEvents]: [E, GameEvents[E]] }[keyof GameEvents];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof GameError) return err.code;
    throw err;
  }
  return undefined;
}

describe('Game', () => {
  let clock: ManualClock;
  let events: Event[];
  let game: Game;
  let tokens: number;

  const names = (ev: Event[]) => ev.map(([name]) => name);

  beforeEach(() => {
    clock = new ManualClock();
    events = [];
    tokens = 0;
    game = new Game({
      code: 'BCDF',
      questions,
      questionTimeMs: 10_000,
      revealTimeMs: 3000,
      maxPlayers: 3,
      clock,
      emit: (event, data) => events.push([event, data] as Event),
      newToken: () => `t${++tokens}`,
    });
  });

  it('takes players in the lobby with unique, cleaned names', () => {
    const ada = game.join('  Ada \n Lovelace ');
    expect(ada).toEqual({ playerId: 'p1', token: 't2' });
    expect(game.hostToken).toBe('t1');
    expect(codeOf(() => game.join('ada lovelace'))).toBe('NAME_TAKEN');
    expect(codeOf(() => game.join('   '))).toBe('NAME_INVALID');
    expect(codeOf(() => game.join(42))).toBe('NAME_INVALID');
    expect(codeOf(() => game.join('x'.repeat(21)))).toBe('NAME_INVALID');
    game.join('Bob');
    game.join('Cy');
    expect(codeOf(() => game.join('Dee'))).toBe('GAME_FULL');
    expect(game.leaderboard().map((e) => e.name)).toEqual(['Ada Lovelace', 'Bob', 'Cy']);
    expect(events.at(-1)?.[0]).toBe('leaderboard');
    expect(game.phase).toBe('lobby');
  });

  it('refuses to start without players, and answers before the start', () => {
    expect(codeOf(() => game.start())).toBe('NO_PLAYERS');
    const { playerId } = game.join('Ada');
    expect(codeOf(() => game.answer(playerId, 0, 0))).toBe('NO_QUESTION');
    game.start();
    expect(codeOf(() => game.start())).toBe('NOT_IN_LOBBY');
  });

  it('opens a question with a countdown and scores faster correct answers higher', () => {
    const ada = game.join('Ada');
    const bob = game.join('Bob');
    game.setConnected(ada.playerId, 1);
    game.setConnected(bob.playerId, 1);
    events = [];
    game.start();
    expect(events[0]).toEqual([
      'question',
      {
        index: 0,
        total: 2,
        text: 'One?',
        choices: ['a', 'b', 'c'],
        durationMs: 10_000,
        remainingMs: 10_000,
      },
    ]);
    clock.advance(1000);
    const a = game.answer(ada.playerId, 0, 0);
    expect(a).toEqual({
      index: 0,
      choice: 0,
      correct: true,
      points: 950,
      timeMs: 1000,
      score: 950,
      correctChoice: 0,
    });
    expect(names(events.slice(1))).toEqual(['progress', 'leaderboard']);
    expect(events[1]).toEqual(['progress', { index: 0, answered: 1, expected: 2 }]);
    expect(codeOf(() => game.answer(ada.playerId, 0, 1))).toBe('ALREADY_ANSWERED');
    expect(codeOf(() => game.answer(bob.playerId, 0, 3))).toBe('INVALID_CHOICE');
    expect(codeOf(() => game.answer(bob.playerId, 1, 0))).toBe('TOO_LATE');
    expect(codeOf(() => game.answer(bob.playerId, '0', 0))).toBe('BAD_REQUEST');
    expect(game.snapshot(ada.playerId).question?.remainingMs).toBe(9000);
    clock.advance(4000);
    const b = game.answer(bob.playerId, 0, 2);
    expect(b).toMatchObject({ correct: false, points: 0, score: 0 });
    // Everyone connected has answered: the question closes early with the reveal.
    expect(game.phase).toBe('reveal');
    const reveal = events.find(([n]) => n === 'reveal')?.[1];
    expect(reveal).toMatchObject({
      index: 0,
      correctChoice: 0,
      counts: [1, 0, 1],
      fastest: { name: 'Ada', timeMs: 1000 },
      nextInMs: 3000,
    });
    expect(game.leaderboard()).toEqual([
      { id: 'p1', name: 'Ada', score: 950, rank: 1, connected: true, correct: 1 },
      { id: 'p2', name: 'Bob', score: 0, rank: 2, connected: true, correct: 0 },
    ]);
  });

  it('closes a question when the time is up, then moves on and finishes', () => {
    let finished = 0;
    const g = new Game({
      code: 'X',
      questions,
      questionTimeMs: 10_000,
      revealTimeMs: 3000,
      maxPlayers: 3,
      clock,
      emit: (event, data) => events.push([event, data] as Event),
      newToken: () => 'tok',
      onFinished: () => finished++,
    });
    g.join('Ada');
    events = [];
    g.start();
    clock.advance(9999);
    expect(g.phase).toBe('question');
    clock.advance(1);
    expect(g.phase).toBe('reveal');
    expect(codeOf(() => g.answer('p1', 0, 0))).toBe('TOO_LATE');
    clock.advance(3000);
    expect(g.phase).toBe('question');
    expect(g.questionIndex).toBe(1);
    clock.advance(13_000);
    expect(g.phase).toBe('finished');
    expect(finished).toBe(1);
    expect(names(events)).toEqual(['question', 'reveal', 'question', 'reveal', 'finished']);
    expect(clock.pending).toBe(0);
    expect(codeOf(() => g.next())).toBe('GAME_OVER');
    expect(codeOf(() => g.join('Late'))).toBe('GAME_OVER');
  });

  it('ends with per-question stats: answers per choice, right answers, the fastest', () => {
    const ada = game.join('Ada', 1);
    const bob = game.join('Bob', 1);
    const cy = game.join('Cy', 1);
    game.start();
    clock.advance(2000);
    game.answer(bob.playerId, 0, 0);
    clock.advance(500);
    game.answer(ada.playerId, 0, 0);
    game.answer(cy.playerId, 0, 2);
    game.next();
    // Nobody answers the second question right; Cy does not answer at all.
    game.answer(ada.playerId, 1, 0);
    game.answer(bob.playerId, 1, 0);
    game.next();
    game.next();
    expect(game.phase).toBe('finished');
    const [name, data] = events.at(-1) ?? [];
    expect(name).toBe('finished');
    const stats = (data as GameEvents['finished']).stats;
    expect(stats).toEqual([
      {
        index: 0,
        text: 'One?',
        choices: ['a', 'b', 'c'],
        correctChoice: 0,
        counts: [2, 0, 1],
        answered: 3,
        correct: 2,
        fastest: { name: 'Bob', timeMs: 2000 },
      },
      {
        index: 1,
        text: 'Two?',
        choices: ['a', 'b'],
        correctChoice: 1,
        counts: [2, 0],
        answered: 2,
        correct: 0,
      },
    ]);
    expect(game.snapshot().stats).toEqual(stats);
    // A page that reloads on the results screen still knows each of its own answers.
    expect(game.snapshot(ada.playerId).you?.answers.map((a) => [a.index, a.correct])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(game.leaderboard().map((e) => [e.name, e.correct])).toEqual([
      ['Bob', 1],
      ['Ada', 1],
      ['Cy', 0],
    ]);
  });

  it('lets the host skip ahead with next()', () => {
    game.join('Ada');
    expect(codeOf(() => game.next())).toBe('NO_QUESTION');
    game.start();
    game.next();
    expect(game.phase).toBe('reveal');
    game.next();
    expect(game.phase).toBe('question');
    expect(game.questionIndex).toBe(1);
  });

  it('keeps a player who drops: same token, same score, no longer awaited', () => {
    const ada = game.join('Ada');
    const bob = game.join('Bob');
    game.setConnected(ada.playerId, 1);
    game.setConnected(bob.playerId, 1);
    game.start();
    game.answer(ada.playerId, 0, 0);
    expect(game.phase).toBe('question');
    // Bob drops: the question no longer waits for him.
    game.setConnected(bob.playerId, -1);
    expect(game.phase).toBe('reveal');
    expect(game.leaderboard().find((e) => e.id === bob.playerId)?.connected).toBe(false);
    clock.advance(3000);
    // Ada alone: her answer closes question 2.
    game.answer(ada.playerId, 1, 1);
    expect(game.phase).toBe('reveal');
    expect(game.playerIdFor(ada.token)).toBe(ada.playerId);
    expect(game.playerIdFor('nope')).toBeUndefined();
    game.setConnected(ada.playerId, -1);
    game.setConnected(ada.playerId, 1);
    const snap = game.snapshot(ada.playerId);
    expect(snap.you).toMatchObject({
      id: 'p1',
      name: 'Ada',
      score: 2000,
      answer: { index: 1, correct: true },
    });
    expect(snap.reveal?.correctChoice).toBe(1);
  });

  it('can count a new player as connected from the start', () => {
    game.join('Ada', 1);
    expect(game.leaderboard()[0]?.connected).toBe(true);
    expect(events.filter(([n]) => n === 'leaderboard')).toHaveLength(1);
  });

  it('counts several connections of one player once', () => {
    const ada = game.join('Ada');
    game.setConnected(ada.playerId, 1);
    game.setConnected(ada.playerId, 1);
    game.setConnected(ada.playerId, -1);
    expect(game.leaderboard()[0]?.connected).toBe(true);
    game.setConnected(ada.playerId, -1);
    expect(game.leaderboard()[0]?.connected).toBe(false);
  });

  it('ranks ties together', () => {
    game.join('Cy');
    game.join('Ada');
    game.join('Bob');
    expect(game.leaderboard().map((e) => [e.name, e.rank])).toEqual([
      ['Ada', 1],
      ['Bob', 1],
      ['Cy', 1],
    ]);
  });
});

describe('scoring and names', () => {
  it('gives 1000 down to 500 points for correct answers, 0 for wrong ones', () => {
    expect(scoreAnswer(true, 0, 10_000)).toBe(1000);
    expect(scoreAnswer(true, 5000, 10_000)).toBe(750);
    expect(scoreAnswer(true, 20_000, 10_000)).toBe(500);
    expect(scoreAnswer(false, 0, 10_000)).toBe(0);
  });

  it('strips control characters from names', () => {
    expect(normalizeName('A\u0000d\u200Ba')).toBe('Ada');
  });
});

describe('GameRegistry', () => {
  it('creates games under unique codes and finds them by code and token', () => {
    const clock = new ManualClock();
    const rolls = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
    const registry = new GameRegistry({
      questionTimeMs: 1000,
      revealTimeMs: 100,
      maxPlayers: 10,
      maxGames: 2,
      finishedTtlMs: 5000,
      idleLobbyTtlMs: 60_000,
      clock,
      pickQuestions: () => questions.slice(0, 1),
      emit: () => {},
      randomInt: () => rolls.shift() ?? 0,
    });
    const a = registry.create();
    const b = registry.create();
    expect(a.code).toBe('BBBB');
    expect(b.code).toBe('CDFG'); // the second BBBB roll was a collision
    expect(codeOf(() => registry.create())).toBe('TOO_MANY_GAMES');
    expect(registry.get(' cdfg ')).toBe(b);
    expect(registry.findHosted(a.hostToken)).toBe(a);
    expect(registry.findHosted('')).toBeUndefined();
    const { playerId, token } = b.join('Ada');
    expect(registry.findPlayer(token)).toEqual({ game: b, playerId });
    // A finished game is forgotten after finishedTtlMs.
    b.start();
    b.next();
    b.next();
    expect(b.phase).toBe('finished');
    clock.advance(4999);
    expect(registry.get('CDFG')).toBe(b);
    clock.advance(1);
    expect(registry.get('CDFG')).toBeUndefined();
    registry.dispose();
    expect(registry.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('drops lobbies left idle when a new game is created', () => {
    const clock = new ManualClock();
    const registry = new GameRegistry({
      questionTimeMs: 100_000,
      revealTimeMs: 100,
      maxPlayers: 10,
      maxGames: 10,
      finishedTtlMs: 5000,
      idleLobbyTtlMs: 60_000,
      clock,
      pickQuestions: () => questions,
      emit: () => {},
    });
    const idle = registry.create();
    const busy = registry.create();
    const running = registry.create();
    running.join('Ada');
    running.start();
    clock.advance(50_000);
    busy.join('Bob');
    clock.advance(10_001);
    registry.create();
    expect(registry.get(idle.code)).toBeUndefined();
    expect(registry.get(busy.code)).toBe(busy);
    expect(registry.get(running.code)).toBe(running);
    expect(registry.size).toBe(3);
    registry.dispose();
  });
});

describe('pickQuestions', () => {
  it('picks at most count questions, each once', () => {
    const pool = Array.from({ length: 12 }, (_, i) => ({
      text: `${i}`,
      choices: ['x'],
      answer: 0,
    }));
    const picked = pickQuestions(pool, 10);
    expect(picked).toHaveLength(10);
    expect(new Set(picked.map((q) => q.text)).size).toBe(10);
    expect(pickQuestions(pool, 50)).toHaveLength(12);
  });
});
