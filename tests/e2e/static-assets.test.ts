import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';

// The web app as built by the e2e global set-up (npm run build -w @pave/web), served by the API.
const stack = useStack({ web: true });

/** The entry script and stylesheet that index.html loads first. */
function entryFiles(): string[] {
  const html = readFileSync(path.join(stack.webDir, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
}

describe('the built web app, as a phone downloads it', () => {
  it('sends hashed assets compressed (brotli, else gzip) and cacheable for a year', async () => {
    const files = entryFiles();
    expect(files.length).toBeGreaterThan(1);
    let raw = 0;
    let brotli = 0;
    for (const file of files) {
      const size = statSync(path.join(stack.webDir, file)).size;
      const br = await stack.app.inject({ url: file, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.statusCode).toBe(200);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      if (size >= 1024) {
        expect(br.headers['content-encoding']).toBe('br');
        expect(br.rawPayload.length).toBeLessThan(size / 2);
        const gz = await stack.app.inject({ url: file, headers: { 'accept-encoding': 'gzip' } });
        expect(gz.headers['content-encoding']).toBe('gzip');
      }
      const plain = await stack.app.inject({ url: file, headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.rawPayload.length).toBe(size);
      raw += size;
      brotli += br.rawPayload.length;
    }
    console.log(
      `first-load assets (${files.length} files): ${(raw / 1024).toFixed(1)} KB raw, ${(brotli / 1024).toFixed(1)} KB as sent (brotli)`,
    );
  });

  it('has the page, the service worker and app routes revalidated at each use', async () => {
    for (const url of ['/', '/sw.js', '/manifest.webmanifest', '/signaler', '/r/PAV-2026-000001']) {
      const response = await stack.app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      expect({ url, cacheControl: response.headers['cache-control'] }).toEqual({ url, cacheControl: 'no-cache' });
    }
  });

  it('writes a compressed sibling for every sizeable text asset at build time', () => {
    const assets = readdirSync(path.join(stack.webDir, 'assets'));
    const sizeable = assets.filter(
      (name) => /\.(js|css)$/.test(name) && statSync(path.join(stack.webDir, 'assets', name)).size >= 1024,
    );
    expect(sizeable.length).toBeGreaterThan(0);
    for (const name of sizeable) {
      expect(assets).toContain(`${name}.br`);
      expect(assets).toContain(`${name}.gz`);
    }
  });
});
