// Polling session tokens: `{owner node id}.{random}`, so any node of a cluster knows where to forward.
import { randomBytes } from 'node:crypto';

/** Random bytes per token (at least 128 bits): 24 base64url characters. */
const TOKEN_BYTES = 18;
/** A node id is 16 hex digits (see `ClusterAdapter.nodeId`). */
const NODE_ID = /^[0-9a-f]{16}$/;

/**
 * A fresh token. With an `owner` (this node's id in a cluster) it is `{owner}.{random}`; alone,
 * just the random part. The owner part is not a secret and needs no signature: a token is only
 * ever looked up in the session table of the node it names, so a forged or altered owner leads
 * to a node that does not know the random part (400, as for any unknown token), and nodes that
 * are not live members of the cluster are never asked at all.
 *
 * @example
 * newToken('a1b2c3d4e5f60718'); // 'a1b2c3d4e5f60718.Xq3…' (41 characters)
 */
export function newToken(owner?: string): string {
  const random = randomBytes(TOKEN_BYTES).toString('base64url');
  return owner === undefined ? random : `${owner}.${random}`;
}

/**
 * The owner node id a token names, or undefined when it names none (a single-server token, or
 * anything else a client made up).
 *
 * @example
 * tokenOwner('a1b2c3d4e5f60718.Xq3…'); // 'a1b2c3d4e5f60718'
 */
export function tokenOwner(token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot !== 16) return undefined;
  const owner = token.slice(0, 16);
  return NODE_ID.test(owner) ? owner : undefined;
}
