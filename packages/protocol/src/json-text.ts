// JSON text of a data section: serialise with coded errors, parse without prototype pollution.
import { SmartSocketError } from './smart-socket-error.js';

/** Serialises `value` to JSON text; `undefined` (and unserialisable roots) give `undefined`. */
export function stringifyData(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value);
  } catch (cause) {
    // Cycles and BigInt end up here (TypeError from JSON.stringify).
    throw new SmartSocketError('ERR_MSG_001', 'Payload is not serialisable to JSON', { cause });
  }
}

/**
 * Parses JSON text of a data section. Bad JSON is `ERR_MSG_001`. Keys that could change a
 * prototype later (`__proto__`, and `constructor` holding a `prototype`) are removed.
 *
 * @example
 * parseJson('{"__proto__":{"admin":true}}'); // {} — Object.assign({}, it) stays harmless
 */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new SmartSocketError('ERR_MSG_001', 'Invalid JSON in data section', { cause });
  }
  // JSON.parse makes "__proto__" an own property, which a later Object.assign or deep merge
  // would turn into a prototype change; "constructor": {"prototype": …} is the other route and
  // always contains "prototype". A key can also be spelled with \u escapes, so any \u sends
  // the value through the (rarely needed) full scan. The cheap single-character probe for a
  // backslash runs first: these three tests are a measurable part of decoding a small event.
  if (
    typeof value === 'object' &&
    value !== null &&
    (text.includes('__proto__') ||
      text.includes('prototype') ||
      (text.indexOf('\\') !== -1 && text.includes('\\u')))
  ) {
    sanitize(value);
  }
  return value;
}

/** Removes dangerous keys everywhere in a freshly parsed value (iterative: no depth limit). */
function sanitize(root: object): void {
  const stack: object[] = [root];
  while (stack.length > 0) {
    const obj = stack.pop() as Record<string, unknown>;
    if (Array.isArray(obj)) {
      for (const v of obj) if (typeof v === 'object' && v !== null) stack.push(v);
      continue;
    }
    if (Object.hasOwn(obj, '__proto__')) Reflect.deleteProperty(obj, '__proto__');
    if (Object.hasOwn(obj, 'constructor')) {
      const ctor = obj.constructor;
      if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype'))
        Reflect.deleteProperty(obj, 'constructor');
    }
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      if (typeof v === 'object' && v !== null) stack.push(v);
    }
  }
}
