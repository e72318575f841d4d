import { mkdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where photo bytes live. Keys are relative paths; keys under `public/` are served
 * as-is at `/media/`, everything else (originals) never is. A later S3 backend
 * implements the same interface.
 */
export interface Storage {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** URL path under which a `public/` key is served. */
  publicUrl(key: string): string;
}

export const PUBLIC_PREFIX = 'public/';

const SAFE_KEY = /^[a-z0-9][a-z0-9/_.-]*$/i;

/** Files on the local disk under `root`. Writes are atomic (temp file + rename). */
export function createLocalStorage(root: string): Storage & { root: string; publicRoot: string } {
  const absoluteRoot = path.resolve(root);
  // The public root must exist before the static file server is registered on it.
  mkdirSync(path.join(absoluteRoot, PUBLIC_PREFIX), { recursive: true });
  const resolve = (key: string): string => {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe storage key: ${key}`);
    return path.join(absoluteRoot, key);
  };
  return {
    root: absoluteRoot,
    publicRoot: path.join(absoluteRoot, PUBLIC_PREFIX),
    async put(key, data) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temp, data);
      await rename(temp, file);
    },
    get: (key) => readFile(resolve(key)),
    async exists(key) {
      try {
        await stat(resolve(key));
        return true;
      } catch {
        return false;
      }
    },
    async delete(key) {
      await rm(resolve(key), { force: true });
    },
    publicUrl(key) {
      if (!key.startsWith(PUBLIC_PREFIX)) throw new Error(`not a public key: ${key}`);
      return `/media/${key.slice(PUBLIC_PREFIX.length)}`;
    },
  };
}
