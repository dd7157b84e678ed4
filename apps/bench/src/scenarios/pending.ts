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
    title: 'Broadcast with compression (~4 KB JSON), vs Socket.IO perMessageDeflate',
    waitingFor: 'server compression (enableCompression) to land',
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
