// Everything both package entries (Node and browser) export besides the client class itself.

export type { Logger } from '@smartsocket/logger';
export {
  type ErrorCode,
  ErrorCodes,
  isSmartSocketError,
  SmartSocketError,
} from '@smartsocket/protocol';
export type { Deflater } from './deflater.js';
export type { EncryptionKeyOption } from './encryption-key.js';
export type { ConnectRequest, HandshakeAnswer } from './handshake.js';
export { type ClientOptions, clientDefaults } from './options.js';
export { reconnectDelay } from './reconnect-policy.js';
export { SmartSocketClientBase } from './smart-socket-client.js';
export type { TimerProvider } from './timers.js';
export type {
  Transport,
  TransportEvents,
  TransportName,
  WebSocketConstructor,
  WebSocketLike,
} from './transport.js';
export type {
  AckCallback,
  AckError,
  AckResponse,
  ClientReservedEvents,
  DefaultEventsMap,
  EmitArgs,
  EventData,
  EventNames,
  EventsMap,
  EventsWithAck,
  RateLimitInfo,
} from './typed-events.js';
