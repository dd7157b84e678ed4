// The one table of SmartSocket error codes: default message and the WebSocket close code to use.

/**
 * Every error code SmartSocket raises, with its default message and, where the error ends
 * a connection, the WebSocket close code to send.
 *
 * @example
 * if (err.code === ErrorCodes.ERR_ACK_001.code) retry();
 */
export const ErrorCodes = {
  ERR_CONN_001: { code: 'ERR_CONN_001', message: 'Connection refused', closeCode: 1011 },
  ERR_CONN_002: { code: 'ERR_CONN_002', message: 'Connection timeout', closeCode: 1001 },
  ERR_CONN_003: { code: 'ERR_CONN_003', message: 'Handshake failed', closeCode: 1002 },
  ERR_CONN_004: { code: 'ERR_CONN_004', message: 'Authentication failed', closeCode: 4001 },
  ERR_CONN_005: { code: 'ERR_CONN_005', message: 'Max connections exceeded', closeCode: 1013 },
  ERR_CONN_006: { code: 'ERR_CONN_006', message: 'Connection lost', closeCode: 1006 },
  ERR_MSG_001: { code: 'ERR_MSG_001', message: 'Invalid message format', closeCode: 1002 },
  ERR_MSG_002: { code: 'ERR_MSG_002', message: 'Decompression failed', closeCode: 1007 },
  ERR_MSG_003: { code: 'ERR_MSG_003', message: 'Decryption failed', closeCode: 1008 },
  ERR_MSG_004: { code: 'ERR_MSG_004', message: 'Message too large', closeCode: 1009 },
  ERR_MSG_005: { code: 'ERR_MSG_005', message: 'Invalid namespace', closeCode: 1008 },
  ERR_RATE_001: { code: 'ERR_RATE_001', message: 'Rate limit exceeded', closeCode: 1008 },
  ERR_RATE_002: { code: 'ERR_RATE_002', message: 'Event rate limit exceeded', closeCode: 1008 },
  ERR_ACK_001: { code: 'ERR_ACK_001', message: 'Acknowledgment timeout', closeCode: 1011 },
  ERR_ACK_002: { code: 'ERR_ACK_002', message: 'Invalid acknowledgment', closeCode: 1002 },
  ERR_ACK_003: { code: 'ERR_ACK_003', message: 'Unknown acknowledgment id', closeCode: 1002 },
  ERR_CONFIG_001: { code: 'ERR_CONFIG_001', message: 'Invalid configuration', closeCode: 1011 },
  ERR_MW_001: { code: 'ERR_MW_001', message: 'Rejected by middleware', closeCode: 1008 },
  ERR_CLUSTER_001: {
    code: 'ERR_CLUSTER_001',
    message: 'Cluster bus unavailable',
    closeCode: 1011,
  },
} as const;

/** A SmartSocket error code such as `'ERR_MSG_001'`. */
export type ErrorCode = keyof typeof ErrorCodes;

/** True when `value` is one of the codes in {@link ErrorCodes}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ErrorCodes, value);
}
