// Matching of `DEBUG`-style namespace lists (`smartsocket:*,-smartsocket:client`), as the `debug` package reads them.

/**
 * True when `namespace` is switched on by `list`, a comma- or space-separated list of patterns
 * where `*` matches any run of characters and a leading `-` switches a pattern off
 * (exclusions win over inclusions, whatever their order).
 *
 * @example
 * namespaceEnabled('smartsocket:*', 'smartsocket:server'); // true
 * namespaceEnabled('smartsocket:*,-smartsocket:client', 'smartsocket:client'); // false
 */
export function namespaceEnabled(list: string | undefined, namespace: string): boolean {
  if (!list) return false;
  let included = false;
  for (const raw of list.split(/[\s,]+/)) {
    if (raw === '') continue;
    const exclude = raw.startsWith('-');
    const pattern = exclude ? raw.slice(1) : raw;
    if (!patternMatches(pattern, namespace)) continue;
    if (exclude) return false;
    included = true;
  }
  return included;
}

/** Glob match with `*` as the only wildcard; no regular expressions built from user input. */
function patternMatches(pattern: string, text: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === text;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (first.length + last.length > text.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const found = text.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
