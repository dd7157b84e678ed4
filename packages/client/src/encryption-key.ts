// The `encryptionKey` option: a base64 string, or a function (sync or async) asked before every
// connection attempt, so an application can hand out a rotated key before its client reconnects.
import { SmartSocketError } from '@smartsocket/protocol';

/** A key, or a function returning one (called before every connection attempt). */
export type EncryptionKeyOption = string | (() => string | PromiseLike<string>);

function keyFunctionFailed(cause: unknown): SmartSocketError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new SmartSocketError(
    'ERR_CONFIG_001',
    `Invalid option "encryptionKey": the key function failed (${why})`,
    { cause },
  );
}

/**
 * Turns the option into a ready key of the encryption back end per connection attempt. A string is parsed
 * once; a function's result is parsed each time (the last one is cached, so an unchanged key
 * costs no key setup). Every failure is `ERR_CONFIG_001` naming `encryptionKey`.
 */
export class EncryptionKeySource<K> {
  private lastText: string | undefined;
  private lastKey: K | undefined;

  /** `toKey` turns the option's text into the back end's key (throwing `ERR_CONFIG_001`). */
  constructor(
    private readonly option: EncryptionKeyOption,
    private readonly toKey: (text: unknown) => K,
  ) {
    if (typeof option === 'string') this.parse(option);
  }

  /** The key for the next attempt: synchronous for a string or a sync function. */
  next(): K | Promise<K> {
    const option = this.option;
    if (typeof option === 'string') return this.parse(option);
    let result: string | PromiseLike<string>;
    try {
      result = option();
    } catch (err) {
      throw keyFunctionFailed(err);
    }
    if (typeof result === 'object' && result !== null && typeof result.then === 'function')
      return Promise.resolve(result).then(
        (text) => this.parse(text),
        (err: unknown) => {
          throw keyFunctionFailed(err);
        },
      );
    return this.parse(result as string);
  }

  private parse(text: unknown): K {
    if (text === this.lastText && this.lastKey) return this.lastKey;
    const key = this.toKey(text);
    this.lastText = text as string;
    this.lastKey = key;
    return key;
  }
}
