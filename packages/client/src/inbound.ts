// Received EVENT, ACK and ERROR frames → listeners, ack settlement and `error` events.
import type { Logger } from '@smartsocket/logger';
import { decodeFrameData, type Frame, FrameType, SmartSocketError } from '@smartsocket/protocol';
import type { AckRegistry } from './ack-registry.js';
import type { Connection } from './connection.js';
import type { ReservedEventName } from './typed-events.js';

/** Client events a server EVENT may not trigger (`__rate-limited__` is the one it may). */
const LIFECYCLE: ReadonlySet<string> = new Set<ReservedEventName>([
  'connected',
  'disconnected',
  'reconnecting',
  'reconnected',
  'max-reconnect-attempts-reached',
  'error',
  'drain',
]);

/** What frame handling needs from the client. */
export interface InboundContext {
  namespace: string;
  acks: AckRegistry;
  logger: Logger;
  /** True while `conn` is still the client's live connection (acks go nowhere else). */
  isCurrent(conn: Connection): boolean;
  /** False for a duplicate of a frame already received (a sequenced session's position). */
  fresh(frame: Frame): boolean;
  /** Answers on a sequenced session (whatever connection is live then); false when not one. */
  answer(ackId: number, response: unknown): boolean;
  /** A server event to its listeners: `(data)`, or `(data, ack)` when `ack` is given. */
  emit(event: string, data: unknown, ack?: (response?: unknown) => void): void;
  emitError(err: SmartSocketError): void;
}

/**
 * Handles one session frame (its data section already opened by the connection): an EVENT goes to its listeners as `(data)` or `(data, ack)`; an
 * ACK settles its pending ack (unknown ids are `ERR_ACK_003`, logged at debug); an ERROR becomes
 * an `error` event and, with `ackId`, settles that ack with the error. Never throws.
 */
export function handleFrame(ctx: InboundContext, conn: Connection, frame: Frame): void {
  try {
    if (!ctx.fresh(frame)) {
      ctx.logger.debug(`Duplicate frame at position ${frame.seq} ignored`);
      return;
    }
    const data = decodeFrameData(frame);
    if (frame.type === FrameType.EVENT) dispatch(ctx, conn, frame, data);
    else if (frame.type === FrameType.ACK) {
      if (!ctx.acks.resolve(frame.ackId!, data))
        ctx.logger.debug(`ERR_ACK_003: ACK for unknown id ${frame.ackId} ignored`);
    } else if (frame.type === FrameType.ERROR) {
      const err = SmartSocketError.fromPayload(data);
      if (err.ackId !== undefined) ctx.acks.reject(err.ackId, err);
      ctx.emitError(err);
    }
  } catch (err) {
    ctx.emitError(
      err instanceof SmartSocketError
        ? err
        : new SmartSocketError('ERR_MSG_001', undefined, { cause: err }),
    );
  }
}

function dispatch(
  ctx: InboundContext,
  conn: Connection,
  { event, ackId }: Frame,
  data: unknown,
): void {
  if (LIFECYCLE.has(event)) {
    ctx.logger.debug(`Server event named "${event}" ignored (a client lifecycle event)`);
    return;
  }
  if (ackId === undefined) {
    ctx.emit(event, data);
    return;
  }
  let answered = false;
  const ack = (response?: unknown): void => {
    if (answered) return;
    // A sequenced session's answer outlives the connection: it is resent after a recovery.
    if (ctx.answer(ackId, response)) {
      answered = true;
      return;
    }
    // Otherwise only on the connection the question came on.
    if (!ctx.isCurrent(conn) || !conn.isOpen) return;
    answered = true;
    const frame = { type: FrameType.ACK, namespace: ctx.namespace, ackId, data: response };
    conn.send(conn.encode(frame));
  };
  ctx.emit(event, data, ack);
}
