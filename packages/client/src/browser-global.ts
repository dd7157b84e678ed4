// Entry of the browser build: puts `SmartSocketClient` on `window`, and shares its error class
// with the lazily loaded chunks (compression, encryption).
import { ErrorCodes, isSmartSocketError, SmartSocketClient, SmartSocketError } from './browser.js';

// The global is the class itself (`new SmartSocketClient(url)`), with the error helpers on it.
(globalThis as Record<string, unknown>).SmartSocketClient = Object.assign(SmartSocketClient, {
  SmartSocketClient,
  SmartSocketError,
  ErrorCodes,
  isSmartSocketError,
});
// The chunks throw this realm's SmartSocketError, so `instanceof` and codes hold across files.
(globalThis as Record<symbol, unknown>)[Symbol.for('smartsocket.error')] = {
  SmartSocketError,
  isSmartSocketError,
};
