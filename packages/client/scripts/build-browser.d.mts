// Types of scripts/build-browser.mjs (used by the browser test).
export function buildBrowserBundle(options?: {
  outfile?: string;
}): Promise<{ outfile: string; bytes: number; gzipBytes: number }>;
