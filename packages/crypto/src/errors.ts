// The two errors this package raises, built in one place so messages never include key material.
import { SmartSocketError } from '@smartsocket/protocol';

/** `ERR_MSG_003`: the one error every failed open becomes, whatever the cause. */
export function decryptionFailed(): SmartSocketError {
  return new SmartSocketError(
    'ERR_MSG_003',
    'Decryption failed: the data section did not authenticate',
  );
}

/** `ERR_CONFIG_001` naming the offending option. */
export function invalidOption(option: string, problem: string): SmartSocketError {
  return new SmartSocketError('ERR_CONFIG_001', `Invalid option "${option}": ${problem}`);
}
