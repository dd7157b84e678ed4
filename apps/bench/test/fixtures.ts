// Trial records for the summary and report tests.
import type { TrialRecord } from '../src/results.js';

export function trial(
  partial: Partial<TrialRecord> & Pick<TrialRecord, 'impl' | 'rep'>,
): TrialRecord {
  return {
    scenario: 'echo',
    attempt: 1,
    metrics: {},
    otherLoad: [0.01],
    flagged: false,
    ms: 100,
    ...partial,
  };
}

/** Two repetitions of echo for SmartSocket, Socket.IO and ws. */
export function echoTrials(): TrialRecord[] {
  const cpu = { smartsocket: [4, 6], 'socket.io': [10, 20], ws: [5, 5] } as const;
  return (['smartsocket', 'socket.io', 'ws'] as const).flatMap((impl) =>
    [1, 2].map((rep) =>
      trial({
        impl,
        rep,
        metrics: { 'echo.cpuPerMsg': cpu[impl][rep - 1]!, 'echo.msgsPerSec': 1000 * rep },
      }),
    ),
  );
}
