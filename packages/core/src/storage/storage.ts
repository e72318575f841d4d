import { createReadStream, mkdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '@pave/shared';

/**
 * Where photo bytes live. Keys are relative paths; keys under `public/` are served
 * as-is at `/media/` (or MEDIA_PUBLIC_BASE_URL), everything else (originals) never is.
 * Backends: the local disk (below) and an S3-compatible bucket (`s3-storage.ts`).
 */
export interface Storage {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** A stored object as a stream with what an HTTP answer needs, or null when there is none. */
  open(key: string): Promise<StoredObject | null>;
  exists(key: string): Promise<boolean>;
  /** Deletes a key; a key already gone is not an error. */
  delete(key: string): Promise<void>;
  /** URL (a path under `/media/`, or absolute under MEDIA_PUBLIC_BASE_URL) at which a `public/` key is served. */
  publicUrl(key: string): string;
  /** Releases the backend's connections. */
  close(): void;
}

export interface StoredObject {
  body: Readable;
  /** Bytes, when the backend says. */
  size: number | null;
  contentType: string;
  etag: string | null;
  lastModified: Date | null;
}

/** The disk backend: the API serves its `public/` folder with a static file server. */
export interface LocalStorage extends Storage {
  kind: 'local';
  root: string;
  publicRoot: string;
}

export const PUBLIC_PREFIX = 'public/';

/** How browsers and CDNs may keep a rendition: photo ids are never reused, so its URL never changes content. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** How long a client should wait before sending a photo again once the store is refusing them. */
const STORAGE_RETRY_AFTER_SECONDS = 30;

/**
 * The store cannot take or give bytes right now (unreachable, refusing our credentials, full):
 * a 503 `STORAGE_UNAVAILABLE` the client may retry, with the backend's own error as the cause for the log.
 */
export function storageUnavailable(cause: unknown): AppError {
  return new AppError(
    'STORAGE_UNAVAILABLE',
    'Photos cannot be stored right now; try again in a few minutes.',
    undefined,
    {
      retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS,
      cause,
    },
  );
}

/** Disk failures that are the machine's, not the key's: full, read-only, not ours to write, broken. */
const DISK_FAULTS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO']);

/** Runs one disk operation, turning a failing disk into `STORAGE_UNAVAILABLE`; other errors pass unchanged. */
async function onDisk<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (DISK_FAULTS.has((error as NodeJS.ErrnoException).code ?? '')) throw storageUnavailable(error);
    throw error;
  }
}

const SAFE_KEY = /^[a-z0-9][a-z0-9/_.-]*$/i;

/** Refuses a key that could leave the store's root (`..`, absolute, empty, odd characters). */
export function checkStorageKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.includes('..') || key.includes('//')) throw new Error(`unsafe storage key: ${key}`);
  return key;
}

export function isPublicKey(key: string): boolean {
  return key.startsWith(PUBLIC_PREFIX);
}

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
};

/** The media type a key's extension stands for (renditions are JPEG; originals have none). */
export function contentTypeOfKey(key: string): string {
  return CONTENT_TYPES[path.extname(key).toLowerCase()] ?? 'application/octet-stream';
}

/** The URL builder both backends share: `/media/<rest>` by default, `<base>/<rest>` with a public base URL. */
export function publicUrlBuilder(publicBaseUrl = ''): (key: string) => string {
  const base = publicBaseUrl ? publicBaseUrl.replace(/\/+$/, '') : '/media';
  return (key) => {
    if (!isPublicKey(key)) throw new Error(`not a public key: ${key}`);
    return `${base}/${key.slice(PUBLIC_PREFIX.length)}`;
  };
}

/** Files on the local disk under `root`. Writes are atomic (temp file + rename). */
export function createLocalStorage(root: string, options: { publicBaseUrl?: string } = {}): LocalStorage {
  const absoluteRoot = path.resolve(root);
  // The public root must exist before the static file server is registered on it.
  mkdirSync(path.join(absoluteRoot, PUBLIC_PREFIX), { recursive: true });
  const resolve = (key: string): string => path.join(absoluteRoot, checkStorageKey(key));
  return {
    kind: 'local',
    root: absoluteRoot,
    publicRoot: path.join(absoluteRoot, PUBLIC_PREFIX),
    async put(key, data) {
      const file = resolve(key);
      const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await onDisk(async () => {
        await mkdir(path.dirname(file), { recursive: true });
        try {
          await writeFile(temp, data);
          await rename(temp, file);
        } catch (error) {
          // A full disk leaves a partial temp file behind; nothing would ever read or remove it.
          await rm(temp, { force: true }).catch(() => {});
          throw error;
        }
      });
    },
    async get(key) {
      const file = resolve(key);
      return onDisk(() => readFile(file));
    },
    async open(key) {
      const file = resolve(key);
      try {
        const info = await stat(file);
        if (!info.isFile()) return null;
        return {
          body: createReadStream(file),
          size: info.size,
          contentType: contentTypeOfKey(key),
          etag: `"${info.size.toString(16)}-${info.mtimeMs.toString(16)}"`,
          lastModified: info.mtime,
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async exists(key) {
      const file = resolve(key);
      try {
        await stat(file);
        return true;
      } catch {
        return false;
      }
    },
    async delete(key) {
      const file = resolve(key);
      await onDisk(() => rm(file, { force: true }));
    },
    publicUrl: publicUrlBuilder(options.publicBaseUrl),
    close() {},
  };
}
