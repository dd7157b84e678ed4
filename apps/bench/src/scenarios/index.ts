// The registered scenarios, in run order.
import type { ScenarioId } from '../config.js';
import { broadcastScenario } from './broadcast.js';
import { clusterScenario } from './cluster.js';
import { compressedScenario } from './compressed.js';
import { connectScenario } from './connect.js';
import { echoScenario } from './echo.js';
import { encryptedScenario } from './encrypted.js';
import { idleScenario } from './idle.js';
import { memoryScenario } from './memory.js';
import { pollingScenario } from './polling.js';
import { recoveryScenario } from './recovery.js';
import { redisScenario } from './redis.js';
import { slowConsumerScenario } from './slow-consumer.js';
import type { Scenario } from './types.js';

export const SCENARIOS: Record<ScenarioId, Scenario> = {
  echo: echoScenario,
  broadcast: broadcastScenario,
  memory: memoryScenario,
  connect: connectScenario,
  compressed: compressedScenario,
  encrypted: encryptedScenario,
  redis: redisScenario,
  polling: pollingScenario,
  recovery: recoveryScenario,
  slow: slowConsumerScenario,
  cluster: clusterScenario,
  idle: idleScenario,
};
