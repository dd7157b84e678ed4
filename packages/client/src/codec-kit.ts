// What a client entry provides for compression and encryption, loaded once on first need: the
// Node entry has it at hand, the browser build fetches it as separate chunks.
import type { Deflater } from './deflater.js';

/** The encryption back end (the `sealing` module). */
export type Sealing = typeof import('./sealing.js');

/** The back ends a connection needs; each present only when its feature is on. */
export interface CodecKit {
  deflater?: Deflater;
  sealing?: Sealing;
}

/** Which features the client has turned on. */
export interface CodecNeeds {
  compression: boolean;
  encryption: boolean;
}

/**
 * Provides the back ends for `needs`: synchronously when they are built in, or as a promise
 * when they have to be loaded first (then the first connection attempt waits for them).
 */
export type CodecLoader = (needs: CodecNeeds) => CodecKit | Promise<CodecKit>;
