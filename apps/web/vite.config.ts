import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineConfig, type Plugin, type Rollup } from 'vite';
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
    // writeBundle, not generateBundle: the bundle is then final, boot script included.
    writeBundle(_options, bundle) {
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

// The page chunk a route opens with, and the API answers it waits for before its main control shows.
// Their downloads can start with the entry's instead of after it.
const ROUTE_PAGES: Record<string, { page: string; data: string[] }> = {
  '/': { page: 'src/features/reports/components/reports-map-page.tsx', data: ['/api/config'] },
  '/signaler': { page: 'src/features/reports/components/report-form-page.tsx', data: [] },
};

/**
 * Adds a tiny boot script to index.html that, on a route of ROUTE_PAGES, starts downloading that route's
 * page chunk, the chunks it imports (Leaflet for the map), their stylesheets and the route's API answers
 * while the entry is still arriving. Without it they are asked for only once the entry has run: on a slow
 * link, the map waited a second after the entry for Leaflet, then a round trip for its configuration.
 * Other routes download nothing more. The answers wait in `window.paveEarly` for `requestJson`
 * (src/lib/api-client.ts). An external file, not an inline script: the Content-Security-Policy allows
 * scripts from 'self' only.
 *
 * Stylesheets and answers are asked for at once (small). The chunks wait until the entry's own imports
 * have arrived, when the entry is the only large download left: asked for at once, they shared the
 * slow line with the entry from the start and all arrived last, so nothing could run before the line was
 * done (measured: / about 270 ms later than this); asked for only after the entry, the line would idle a
 * round trip. This way the entry arrives first and runs while the route's chunks still download.
 */
function preloadRoutePages(): Plugin {
  return {
    name: 'pave:preload-route-pages',
    apply: 'build',
    generateBundle: {
      // After vite:build-html has written index.html into the bundle.
      order: 'post',
      handler(_options, bundle) {
        const chunks = Object.values(bundle).filter((file): file is Rollup.OutputChunk => file.type === 'chunk');
        const entry = chunks.find((chunk) => chunk.isEntry);
        const html = bundle['index.html'];
        if (!entry || !html || html.type !== 'asset') throw new Error('preload-route-pages: no entry or index.html');
        // What index.html already loads: the entry and its static imports.
        const loadedFirst = new Set([entry.fileName, ...entry.imports]);
        const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
        const routes: Record<string, { styles: string[]; scripts: string[]; data: string[] }> = {};
        for (const [route, { page: source, data }] of Object.entries(ROUTE_PAGES)) {
          const page = chunks.find((chunk) => chunk.facadeModuleId?.endsWith(`/${source}`));
          if (!page) throw new Error(`preload-route-pages: no chunk for ${source}`);
          const scripts = new Set<string>();
          const styles = new Set<string>();
          const visit = (chunk: Rollup.OutputChunk) => {
            if (loadedFirst.has(chunk.fileName) || scripts.has(chunk.fileName)) return;
            scripts.add(chunk.fileName);
            for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
            for (const name of chunk.imports) visit(byName.get(name)!);
          };
          visit(page);
          routes[route] = {
            styles: [...styles].map((name) => `/${name}`),
            scripts: [...scripts].map((name) => `/${name}`),
            data,
          };
        }
        // crossOrigin '' as Vite's own loader sets it: the same request, so its later import finds the module.
        // A failed early fetch is caught here only to keep it off the console: requestJson sees the failure.
        const source = `(function () {
  var route = ${JSON.stringify(routes)}[location.pathname];
  if (!route) return;
  var early = (window.paveEarly = {});
  route.data.forEach(function (path) {
    early[path] = fetch(path, { headers: { Accept: 'application/json' } });
    early[path].catch(function () {});
  });
  function add(rel, path) {
    var link = document.createElement('link');
    link.rel = rel;
    link.crossOrigin = '';
    link.href = path;
    document.head.appendChild(link);
  }
  route.styles.forEach(function (path) {
    add('stylesheet', path);
  });
  var waiting = ${JSON.stringify(entry.imports.map((name) => `/${name}`))};
  function addScripts() {
    if (waiting === null) return;
    waiting = null;
    route.scripts.forEach(function (path) {
      add('modulepreload', path);
    });
  }
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (entry) {
        var path = new URL(entry.name).pathname;
        if (waiting) waiting = waiting.filter(function (file) { return file !== path; });
        if (waiting && !waiting.length) addScripts();
      });
    }).observe({ type: 'resource', buffered: true });
  } catch (error) {
    addScripts();
  }
  // Whatever the timing entries say, the chunks never wait past the page's load.
  window.addEventListener('load', addScripts);
})();
`;
        const fileName = `assets/boot-${createHash('sha256').update(source).digest('hex').slice(0, 8)}.js`;
        this.emitFile({ type: 'asset', fileName, source });
        const tag = `<script async src="/${fileName}"></script>`;
        // Async: it never holds up the first paint. Before Vite's tags: its request leaves with the entry's.
        html.source = String(html.source).replace(/(<title>[^<]*<\/title>)/, `$1\n    ${tag}`);
        if (!String(html.source).includes(tag)) throw new Error('preload-route-pages: <title> not found');
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), preloadRoutePages(), precacheServiceWorker()],
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
