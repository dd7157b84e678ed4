// The addresses phones on the same network can use, for a demo listening on every interface.
import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';

/**
 * `http://ADDRESS:port/` for each external IPv4 address of this machine (IPv6 link-local
 * addresses need a zone id that phones cannot type, so they are left out).
 *
 * @example
 * lanUrls(3000); // ['http://192.168.1.20:3000/']
 */
export function lanUrls(
  port: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  const urls: string[] = [];
  for (const list of Object.values(interfaces))
    for (const info of list ?? [])
      if (info.family === 'IPv4' && !info.internal) urls.push(`http://${info.address}:${port}/`);
  return urls;
}

/** Whether `host` means "every interface", where the printed URL is no use to a phone. */
export const isWildcardHost = (host: string): boolean =>
  host === '0.0.0.0' || host === '::' || host === '[::]';
