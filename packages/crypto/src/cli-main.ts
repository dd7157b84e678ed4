// The logic of the `smartsocket-crypto` command, kept apart from process I/O so tests call it directly.
import { generateKey } from './key-material.js';

const USAGE = `Usage: npx @smartsocket/crypto keygen

  keygen   print a new random AES-256 key (base64 of 32 bytes) for the encryptionKey option
           / ENCRYPTION_KEY environment variable. Share it with clients over a secure channel.
`;

/** Output sinks of {@link runCli}. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Runs the CLI with `args` (without `node` and the script path); returns the exit code.
 *
 * @example
 * runCli(['keygen'], { out: console.log, err: console.error }); // prints a key, returns 0
 */
export function runCli(args: readonly string[], io: CliIo): number {
  const [command] = args;
  if (command === 'keygen' && args.length === 1) {
    io.out(`${generateKey()}\n`);
    return 0;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return 0;
  }
  io.err(USAGE);
  return 1;
}
