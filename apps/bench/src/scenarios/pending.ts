// Scenario 5 hook: runs that wait for features still being built. Listed in every report as "not yet run".
// To add one: write a Scenario (see types.ts) and register it in index.ts; remove it from this list.

export interface PendingScenario {
  id: string;
  title: string;
  waitingFor: string;
}

export const PENDING_SCENARIOS: readonly PendingScenario[] = [
  {
    id: 'broadcast-compressed',
    title:
      'Compressed broadcast (~4 KB JSON) in the default run — written and runnable with ' +
      '`--scenarios compressed`; its "bytes written / delivery" row shows who really compressed',
    waitingFor: 'SmartSocket server compression (the frame pipeline does not compress yet)',
  },
  {
    id: 'broadcast-encrypted',
    title: 'Broadcast with AES-256-GCM encryption',
    waitingFor: '@smartsocket/crypto and server encryption to land',
  },
  {
    id: 'redis-fanout',
    title: 'Two SmartSocket servers sharing a Redis (cross-server fan-out)',
    waitingFor: '@smartsocket/redis-adapter and a local Redis',
  },
];
