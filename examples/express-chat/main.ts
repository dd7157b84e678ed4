// `pnpm --filter @smartsocket/examples chat`: the Express chat on PORT (default 3000).
import { startChat } from './app.js';

const chat = await startChat({ port: Number(process.env.PORT ?? 3000) });
console.log(`chat on ${chat.url} (open it in two browser tabs)`);
process.once('SIGINT', () => void chat.close());
process.once('SIGTERM', () => void chat.close());
