// Redis Cluster key slots (CRC16/XMODEM mod 16384, with {hash tags}) to batch sharded subscriptions.

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let j = 0; j < 8; j++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
    t[i] = c & 0xffff;
  }
  return t;
})();

/**
 * The cluster slot of `key`, as Redis computes it: CRC16 of the key (or of the first non-empty
 * `{…}` hash tag) modulo 16384.
 *
 * @example
 * keySlot('foo'); // 12182
 */
export function keySlot(key: string): number {
  let bytes = Buffer.from(key);
  const open = bytes.indexOf(0x7b); // {
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1); // }
    if (close > open + 1) bytes = bytes.subarray(open + 1, close);
  }
  let crc = 0;
  for (const byte of bytes)
    crc = ((crc << 8) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] as number)) & 0xffff;
  return crc % 16384;
}

/**
 * `channels` grouped by slot: SSUBSCRIBE with several channels needs them all in one slot.
 *
 * @example
 * bySlot(['a', 'b', '{x}1', '{x}2']); // [['a'], ['b'], ['{x}1', '{x}2']]
 */
export function bySlot(channels: readonly string[]): string[][] {
  const groups = new Map<number, string[]>();
  for (const channel of channels) {
    const slot = keySlot(channel);
    const group = groups.get(slot);
    if (group) group.push(channel);
    else groups.set(slot, [channel]);
  }
  return [...groups.values()];
}
