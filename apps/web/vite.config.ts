import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server forwards API and photo requests so the browser sees one origin,
// exactly as in production where the API serves the built app.
const apiUrl = process.env.PAVE_API_URL ?? 'http://127.0.0.1:3000';

/**
 * Writes the bundle's file list and a version derived from it into the copied `sw.js`, so the service
 * worker precaches every hashed asset at install and a new build replaces the old cache.
 */
function precacheServiceWorker(): Plugin {
  let outDir = 'dist';
  let files: string[] = [];
  return {
    name: 'pave:precache-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      files = Object.keys(bundle)
        .filter((name) => !name.startsWith('.vite/') && !name.endsWith('.html') && !name.endsWith('.map'))
        .map((name) => `/${name}`)
        .sort();
    },
    // After the public directory is copied: sw.js lives there.
    async closeBundle() {
      const file = path.join(outDir, 'sw.js');
      const source = await readFile(file, 'utf8');
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const filled = source
        .replace("const VERSION = 'pave-shell-dev';", `const VERSION = 'pave-shell-${version}';`)
        .replace('const PRECACHE = [];', `const PRECACHE = ${JSON.stringify(files)};`);
      if (!filled.includes(version) || !filled.includes(files[0] ?? '')) throw new Error('sw.js: markers not found');
      await writeFile(file, filled);
    },
  };
}

export default defineConfig({
  plugins: [react(), precacheServiceWorker()],
  resolve: {
    // Shared modules build the API's schemas as they load; the browser never validates with them.
    alias: { typebox: path.resolve(import.meta.dirname, 'src/lib/typebox-stub.ts') },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // scripts/report-bundle-size.mjs reads it to measure what /signaler really downloads.
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Leaflet in its own long-cached chunk: pages that show no map never load it.
          groups: [{ name: 'leaflet', test: /[\\/]node_modules[\\/]leaflet[\\/]/ }],
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: apiUrl, changeOrigin: true },
      '/media': { target: apiUrl, changeOrigin: true },
    },
  },
});
