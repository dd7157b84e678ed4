// Guards `emit(event, data, ack?)`: one payload per event, so a Socket.IO-style list of values
// fails loudly instead of arriving as its first element.

function onePayload(method: string, event: string, n: number): TypeError {
  return new TypeError(
    `${method}('${event}') got ${n} arguments; an event carries one payload: ${method}('${event}', { a, b })`,
  );
}

/**
 * Throws a `TypeError` naming the fix when `args` (what followed the event name) is not
 * `[]`, `[data]` or `[data, ackFunction]`. A trailing `undefined` ack is accepted.
 *
 * @example
 * checkEmitArgs('chat', ['a', 'b']); // TypeError: … emit('chat', { a, b }) …
 */
export function checkEmitArgs(event: string, args: readonly unknown[]): void {
  const n = args.length;
  if (n > 2 || (n === 2 && args[1] !== undefined && typeof args[1] !== 'function'))
    throw onePayload('emit', event, n);
}

/**
 * Guards `emitWithAck(event, data, options?)`: `options` must be an options object, so a second
 * value passed Socket.IO-style is a `TypeError` naming the fix instead of being ignored.
 *
 * @example
 * checkAckOptions('chat', 'b'); // TypeError: … emitWithAck('chat', { a, b }) …
 */
export function checkAckOptions(event: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null))
    throw onePayload('emitWithAck', event, 2);
}
