// `pnpm demo`: starts the quiz on http://localhost:3000 (PORT and HOST change it).
import { isWildcardHost, lanUrls } from './lan-urls.js';
import { startQuizApp } from './quiz-app.js';

const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid PORT: ${process.env.PORT}`);
  process.exit(1);
}
const host = process.env.HOST || 'localhost';

const app = await startQuizApp({ port, host });
console.log(`SmartSocket quiz running at ${app.url}`);
// 0.0.0.0 is not an address a phone can open: show the ones it can.
if (isWildcardHost(host))
  for (const url of lanUrls(app.port)) console.log(`  on your network: ${url}`);
console.log('Open it in one tab to host, and in others (or on phones) to play.');

let closing = false;
const shutdown = (): void => {
  if (closing) process.exit(1);
  closing = true;
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
