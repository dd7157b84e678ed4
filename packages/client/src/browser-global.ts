// Entry of the single-file browser build: puts `SmartSocketClient` on `window`.
import { ErrorCodes, isSmartSocketError, SmartSocketClient, SmartSocketError } from './browser.js';

// The global is the class itself (`new SmartSocketClient(url)`), with the error helpers on it.
(globalThis as Record<string, unknown>).SmartSocketClient = Object.assign(SmartSocketClient, {
  SmartSocketClient,
  SmartSocketError,
  ErrorCodes,
  isSmartSocketError,
});
