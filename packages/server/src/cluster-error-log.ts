// Rate-limited error logging for the cluster adapter: an outage is a few lines, not one per message.
import type { Logger } from '@smartsocket/logger';

/**
 * Returns `log(message, err)`: the first error is logged at once, later ones at most once per
 * `interval` ms with the number suppressed meanwhile. A backend that is down for a minute under
 * 10 000 broadcasts/s logs about `60 000 / interval` lines.
 *
 * @example
 * const log = rateLimitedError(logger, 5000);
 * log('[cluster] publish failed', err);
 */
export function rateLimitedError(
  logger: Logger,
  interval: number,
): (message: string, err: unknown) => void {
  let last = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (message, err) => {
    const now = Date.now();
    if (now - last < interval) {
      suppressed++;
      return;
    }
    last = now;
    const more = suppressed > 0 ? ` (${suppressed} similar error(s) not logged)` : '';
    suppressed = 0;
    logger.error(`${message}${more}`, err);
  };
}
