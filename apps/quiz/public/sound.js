// Optional sound effects, off until the player turns them on: a few quiet Web Audio tones,
// nothing to download. The choice is remembered in localStorage.
const KEY = 'smartsocket-quiz-sound';

/** Notes of each cue: [frequency Hz, start s, length s]. */
const CUES = {
  question: [
    [523, 0, 0.12],
    [784, 0.12, 0.18],
  ],
  correct: [
    [660, 0, 0.1],
    [880, 0.1, 0.1],
    [1175, 0.2, 0.22],
  ],
  wrong: [
    [330, 0, 0.16],
    [247, 0.16, 0.24],
  ],
  finished: [
    [523, 0, 0.14],
    [659, 0.14, 0.14],
    [784, 0.28, 0.14],
    [1047, 0.42, 0.35],
  ],
};

/**
 * The page's sound: `enabled`, `set(on)` and `play(cue)`.
 *
 * @example
 * const sound = createSound();
 * sound.set(true); // after a click, so the browser lets audio start
 * sound.play('correct');
 */
export function createSound() {
  let enabled = localStorage.getItem(KEY) === 'on';
  let ctx = null;
  return {
    get enabled() {
      return enabled;
    },
    set(on) {
      enabled = on;
      localStorage.setItem(KEY, on ? 'on' : 'off');
    },
    play(cue) {
      const notes = CUES[cue];
      if (!enabled || !notes || typeof AudioContext === 'undefined') return;
      try {
        ctx ??= new AudioContext();
        const t0 = ctx.currentTime + 0.02;
        for (const [freq, at, len] of notes) {
          const osc = ctx.createOscillator();
          const gain = ctx.createGain();
          osc.type = 'sine';
          osc.frequency.value = freq;
          // A soft attack and decay: quiet enough to sit under a room's chatter.
          gain.gain.setValueAtTime(0.0001, t0 + at);
          gain.gain.exponentialRampToValueAtTime(0.08, t0 + at + 0.02);
          gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + len);
          osc.connect(gain).connect(ctx.destination);
          osc.start(t0 + at);
          osc.stop(t0 + at + len + 0.05);
        }
      } catch {
        // No audio here (autoplay policy, no device): the game goes on silently.
      }
    },
  };
}
