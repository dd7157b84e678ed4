// @smartsocket/server — SmartSocket server: namespaces, rooms, acks, middleware, rate limits, stats.
// The error class to throw on purpose (its code and message reach the client), and its codes.
export {
  type ErrorCode,
  ErrorCodes,
  isSmartSocketError,
  SmartSocketError,
} from '@smartsocket/protocol';
export { AckRegistry } from './ack-registry.js';
export {
  Adapter,
  type AdapterFactory,
  type AdapterNamespace,
  type AdapterSocket,
  type BroadcastFlags,
  type BroadcastOptions,
  InMemoryAdapter,
  type Room as RoomName,
  type ServerSideAck,
  type SocketDescriptor,
  type SocketId,
} from './adapter.js';
export { BroadcastOperator, DEFAULT_BROADCAST_ACK_TIMEOUT } from './broadcast-operator.js';
export {
  type BroadcastPacket,
  createBroadcastPacket,
  packetFromFrame,
  withAckId,
} from './broadcast-packet.js';
export { ClusterAdapter, createClusterAdapter } from './cluster-adapter.js';
export { type ClusterAdapterOptions, clusterAdapterDefaults } from './cluster-adapter-options.js';
export {
  type ChannelList,
  type ClusterTransport,
  createInProcessBus,
  type InProcessTransport,
} from './cluster-bus.js';
export { type ClusterChannels, clusterChannels } from './cluster-channels.js';
export {
  EMITTER_NODE_ID,
  encodeEnvelope,
  encodeOptions,
  MessageType as ClusterMessageType,
} from './cluster-envelope.js';
export { rateLimitedError } from './cluster-error-log.js';
export type { Handshake, PeerCaps } from './handshake.js';
export type { Middleware, NextFunction } from './middleware.js';
export { Namespace, type NamespaceReservedEvents } from './namespace.js';
export type {
  ForwardedAnswer,
  ForwardedHandler,
  ForwardedRequest,
  PollingRouter,
} from './polling-forwarding.js';
export type { RateLimitRule } from './rate-limiter.js';
export { RemoteSocket } from './remote-socket.js';
export { Room } from './room.js';
export type { RateLimitInfo } from './server-context.js';
export {
  type AuthenticateHandshake,
  type ResolvedOptions,
  type SmartSocketOptions,
  serverDefaults,
  type TransportName,
} from './server-options.js';
export { type ServerReservedEvents, SmartSocket } from './smart-socket.js';
export { DEFAULT_ACK_TIMEOUT, Socket, type SocketReservedEvents } from './socket.js';
export { SocketEmitter } from './socket-emitter.js';
export type {
  ConnectionStats,
  NamespaceStats,
  ServerStats,
  TransmissionStats,
} from './stats-collector.js';
export { CloseCode, type Transport, type TransportHandlers } from './transport.js';
export type {
  AckResponseOf,
  BroadcastAckParams,
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventsMap,
  TimeoutAckParams,
} from './typed-events.js';

import { SmartSocket } from './smart-socket.js';
export default SmartSocket;
