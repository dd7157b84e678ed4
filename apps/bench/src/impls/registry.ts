// Maps an implementation id to its server and client adapters (loaded lazily, so one broken
// implementation cannot stop the others).
import type { ClientFactory, ImplId, ServerFactory } from './types.js';

/** The server adapter of an implementation. */
export async function loadServerFactory(impl: ImplId): Promise<ServerFactory> {
  switch (impl) {
    case 'smartsocket':
      return (await import('./smartsocket-server.js')).startSmartSocketServer;
    case 'socket.io':
      return (await import('./socketio-server.js')).startSocketIoServer;
    case 'ws':
    case 'ws-once': {
      const { startWsServer } = await import('./ws-server.js');
      return (hooks, variant) => startWsServer(hooks, variant, impl === 'ws-once');
    }
  }
}

/** The client adapter of an implementation (`ws-once` uses the plain ws client). */
export async function loadClientFactory(impl: ImplId): Promise<ClientFactory> {
  switch (impl) {
    case 'smartsocket':
      return (await import('./smartsocket-client.js')).connectSmartSocketClient;
    case 'socket.io':
      return (await import('./socketio-client.js')).connectSocketIoClient;
    case 'ws':
    case 'ws-once':
      return (await import('./ws-client.js')).connectWsClient;
  }
}
