// Scenario 5 hook: runs that wait for features still being built. Listed in every report as "not yet run".
// To add one: write a Scenario (see types.ts) and register it in index.ts; remove it from this list.

export interface PendingScenario {
  id: string;
  title: string;
  waitingFor: string;
}

export const PENDING_SCENARIOS: readonly PendingScenario[] = [];
