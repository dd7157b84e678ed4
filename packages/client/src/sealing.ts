// The encryption back end of the client, one module so the browser build can load it lazily:
// the session key schedule of @smartsocket/crypto and the `encryptionKey` option's key source.
export {
  answerKey,
  decodeSessionNonce,
  encodeSessionNonce,
  openFrame,
  randomSessionNonce,
  SessionCipher,
} from '@smartsocket/crypto';
export { EncryptionKeySource } from './encryption-key.js';
