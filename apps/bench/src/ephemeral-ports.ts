// Ephemeral ports: a source address can open at most as many connections to one server port as
// the kernel's local port range holds, so many connections need several source addresses.
import { readFileSync } from 'node:fs';

/** Linux's default when /proc is not readable. */
const DEFAULT_RANGE: readonly [number, number] = [32768, 60999];

/** Ports left for other sockets of the same address (TIME_WAIT of earlier trials, the warm-up). */
const MARGIN = 1000;

/** /proc/sys/net/ipv4/ip_local_port_range as [low, high]. */
export function localPortRange(): [number, number] {
  try {
    const [low = 0, high = -1] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && high >= low) return [low, high];
  } catch {
    // Not Linux or no /proc: assume the default range.
  }
  return [...DEFAULT_RANGE];
}

/** Explains why `perAddress` connections from one source address will not fit, or undefined when they do. */
export function portShortage(
  perAddress: number,
  loaders: number,
  range: readonly [number, number],
): string | undefined {
  const usable = range[1] - range[0] + 1 - MARGIN;
  if (perAddress <= usable) return undefined;
  const need = Math.ceil((perAddress * loaders) / usable);
  return (
    `${perAddress} connections per source address do not fit the ephemeral port range ` +
    `${range[0]}-${range[1]} (${usable} usable per address): use --idle-loaders ${need} or more ` +
    '(each loader connects from its own 127.0.0.x address).'
  );
}
