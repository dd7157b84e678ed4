// `pnpm --filter @smartsocket/examples chat:https`: the chat over HTTPS on PORT (default 3443).
import { startHttpsChat } from './app.js';

const chat = await startHttpsChat({ port: Number(process.env.PORT ?? 3443) });
console.log(`chat on ${chat.url} (self-signed certificate: accept the browser's warning)`);
process.once('SIGINT', () => void chat.close());
process.once('SIGTERM', () => void chat.close());
