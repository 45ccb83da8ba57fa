import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface Asset {
  body: Buffer;
  contentType: string;
  /** Vite names bundles by content hash: those never change and may be cached for good. */
  immutable: boolean;
}

/**
 * A file of the built console for a URL path. Paths that are not files are the page routes of
 * the single-page app: they get index.html, and the page's own router shows the page.
 */
export async function readAsset(assetsDir: string, pathname: string): Promise<Asset | undefined> {
  const root = path.resolve(assetsDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = '/';
  }
  const wanted = path.resolve(root, `.${decoded}`);
  // Never outside the build folder, whatever `..` the URL holds.
  const inside = wanted === root || wanted.startsWith(`${root}${path.sep}`);
  const file = inside && (await isFile(wanted)) ? wanted : path.join(root, 'index.html');
  try {
    return {
      body: await readFile(file),
      contentType: TYPES[path.extname(file)] ?? 'application/octet-stream',
      immutable: file.startsWith(path.join(root, 'assets') + path.sep),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
