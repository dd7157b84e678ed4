// Types of scripts/build-browser.mjs (used by the browser test).
export interface FileSize {
  path: string;
  bytes: number;
  gzipBytes: number;
}
export const CHUNKS: Record<string, { entry: string; file: string }>;
export function buildBrowserBundle(options?: {
  outfile?: string;
}): Promise<
  FileSize & { outfile: string; chunks: Record<'deflate' | 'pako' | 'seal' | 'noble', FileSize> }
>;
