import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createLocalStorage, createS3Storage, type Storage } from '@pave/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBucket } from '../support/s3';

interface Backend {
  storage: Storage;
  close(): Promise<void>;
}

/** Each backend as the app builds it, on a store of this file's own. */
const backends: Record<string, () => Promise<Backend>> = {
  local: async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'pave-storage-'));
    return { storage: createLocalStorage(root), close: async () => rmSync(root, { recursive: true, force: true }) };
  },
  s3: async () => {
    const bucket = await createTestBucket();
    const storage = createS3Storage({
      bucket: bucket.name,
      endpoint: bucket.env.S3_ENDPOINT,
      region: bucket.env.S3_REGION!,
      accessKeyId: bucket.env.S3_ACCESS_KEY_ID,
      secretAccessKey: bucket.env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: true,
    });
    return {
      storage,
      async close() {
        storage.close();
        await bucket.close();
      },
    };
  },
};

const readAll = async (stream: NodeJS.ReadableStream): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
};

describe.each(Object.keys(backends))('the %s storage backend', (name) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await backends[name]!();
  });
  afterAll(async () => {
    await backend?.close();
  });
  const storage = () => backend.storage;

  it('gives back the bytes it was given, and the last ones after an overwrite', async () => {
    const data = randomBytes(1000);
    await storage().put('originals/round-trip', data);
    expect((await storage().get('originals/round-trip')).equals(data)).toBe(true);
    await storage().put('originals/round-trip', Buffer.from('second'));
    expect((await storage().get('originals/round-trip')).toString()).toBe('second');
  });

  it('knows which keys exist, and rejects reading one that does not', async () => {
    await storage().put('public/photos/exists/large.jpg', Buffer.from('jpeg'));
    expect(await storage().exists('public/photos/exists/large.jpg')).toBe(true);
    expect(await storage().exists('public/photos/never-written/large.jpg')).toBe(false);
    await expect(storage().get('originals/never-written')).rejects.toThrow();
  });

  it('deletes, and deleting a key that is not there is not an error', async () => {
    await storage().put('originals/to-delete', Buffer.from('x'));
    await storage().delete('originals/to-delete');
    expect(await storage().exists('originals/to-delete')).toBe(false);
    await expect(storage().delete('originals/to-delete')).resolves.toBeUndefined();
    await expect(storage().delete('originals/never-written')).resolves.toBeUndefined();
  });

  it('opens a stored object as a stream with its size and media type, and a missing one as null', async () => {
    const data = randomBytes(2048);
    await storage().put('public/photos/opened/thumb.jpg', data);
    const opened = await storage().open('public/photos/opened/thumb.jpg');
    expect(opened).not.toBeNull();
    expect(opened!.size).toBe(2048);
    expect(opened!.contentType).toBe('image/jpeg');
    expect(opened!.etag).toBeTruthy();
    expect((await readAll(opened!.body)).equals(data)).toBe(true);
    expect(await storage().open('public/photos/never-written/thumb.jpg')).toBeNull();
  });

  it.each([
    ['a parent step', 'public/../originals/x'],
    ['a parent step at the start', '../outside'],
    ['an absolute path', '/etc/passwd'],
    ['an empty key', ''],
    ['an empty path segment', 'public//x.jpg'],
    ['a backslash', 'public\\x.jpg'],
    ['a space', 'public/a b.jpg'],
  ])('refuses a key with %s, for every operation', async (_what, key) => {
    await expect(storage().put(key, Buffer.from('x'))).rejects.toThrow(/unsafe storage key/);
    await expect(storage().get(key)).rejects.toThrow(/unsafe storage key/);
    await expect(storage().open(key)).rejects.toThrow(/unsafe storage key/);
    await expect(storage().exists(key)).rejects.toThrow(/unsafe storage key/);
    await expect(storage().delete(key)).rejects.toThrow(/unsafe storage key/);
  });

  it('gives a URL under /media/ for public keys only', () => {
    expect(storage().publicUrl('public/photos/abc/large.jpg')).toBe('/media/photos/abc/large.jpg');
    expect(() => storage().publicUrl('originals/abc')).toThrow(/not a public key/);
  });

  it('stores a 5 MB object intact', async () => {
    const data = randomBytes(5 * 1024 * 1024);
    await storage().put('originals/large', data);
    expect((await storage().get('originals/large')).equals(data)).toBe(true);
  });

  it('stores different keys written at the same time', async () => {
    const items = Array.from({ length: 12 }, (_, i) => ({
      key: `public/photos/concurrent/${i}.jpg`,
      data: randomBytes(10_000),
    }));
    await Promise.all(items.map((item) => storage().put(item.key, item.data)));
    for (const item of items) expect((await storage().get(item.key)).equals(item.data)).toBe(true);
  });
});

describe('MEDIA_PUBLIC_BASE_URL', () => {
  it('makes public URLs absolute under the CDN, for either backend', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'pave-storage-'));
    try {
      const local = createLocalStorage(root, { publicBaseUrl: 'https://cdn.example.fr/pave/' });
      expect(local.publicUrl('public/photos/abc/large.jpg')).toBe('https://cdn.example.fr/pave/photos/abc/large.jpg');
      const s3 = createS3Storage({ bucket: 'unused', region: 'us-east-1', publicBaseUrl: 'https://cdn.example.fr' });
      expect(s3.publicUrl('public/photos/abc/thumb.jpg')).toBe('https://cdn.example.fr/photos/abc/thumb.jpg');
      expect(() => s3.publicUrl('originals/abc')).toThrow(/not a public key/);
      s3.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
