// Guards `emit(event, data, ack?)`: one payload per event, so a Socket.IO-style list of arguments
// fails loudly instead of arriving as its first element.

/**
 * Throws a `TypeError` naming the fix when `args` (what followed the event name) is not
 * `[]`, `[data]` or `[data, ackFunction]`. A trailing `undefined` ack is accepted.
 *
 * @example
 * checkEmitArgs('chat', ['a', 'b']); // TypeError: … emit('chat', { a, b }) …
 */
export function checkEmitArgs(event: string, args: readonly unknown[]): void {
  const n = args.length;
  if (n <= 1) return;
  if (n === 2 && (args[1] === undefined || typeof args[1] === 'function')) return;
  throw new TypeError(
    `emit('${event}') got ${n} arguments after the event name: an event carries one payload ` +
      `(plus an optional ack callback last). Put the values in one object, e.g. ` +
      `emit('${event}', { a, b }) instead of emit('${event}', a, b).`,
  );
}

/**
 * Guards `emitWithAck(event, data, options?)`: `options` must be an options object, so a second
 * value passed Socket.IO-style is a `TypeError` naming the fix instead of being ignored.
 *
 * @example
 * checkAckOptions('chat', 'b'); // TypeError: … emitWithAck('chat', { a, b }) …
 */
export function checkAckOptions(event: string, options: unknown): void {
  if (options === undefined || (typeof options === 'object' && options !== null)) return;
  throw new TypeError(
    `emitWithAck('${event}') takes (data, options?): an event carries one payload. Put the ` +
      `values in one object, e.g. emitWithAck('${event}', { a, b }) instead of ` +
      `emitWithAck('${event}', a, b).`,
  );
}
