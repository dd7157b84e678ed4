// The demo's "on your network" addresses: external IPv4 only.
import { describe, expect, it } from 'vitest';
import { isWildcardHost, lanUrls } from '../src/lan-urls.js';

const iface = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null }) as any;

describe('lanUrls', () => {
  it('lists external IPv4 addresses and skips loopback and IPv6', () => {
    const urls = lanUrls(3000, {
      lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
      eth0: [iface('192.168.1.20', 'IPv4', false), iface('fe80::1', 'IPv6', false)],
      wlan0: [iface('10.0.0.7', 'IPv4', false)],
    });
    expect(urls).toEqual(['http://192.168.1.20:3000/', 'http://10.0.0.7:3000/']);
  });

  it('knows which hosts mean every interface', () => {
    expect(['0.0.0.0', '::', '[::]'].map(isWildcardHost)).toEqual([true, true, true]);
    expect(['localhost', '127.0.0.1', '192.168.1.20'].map(isWildcardHost)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
