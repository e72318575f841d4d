// Bundles the API and the worker (and the workspace packages they import) into one file each.
// npm dependencies stay external and are loaded from node_modules at run time.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceOnly = {
  name: 'workspace-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@pave/') ? undefined : { path: args.path, external: true },
    );
  },
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Writes `<outDir>/apps/api/dist/server.js` and `<outDir>/apps/worker/dist/main.js` (outDir: the
 * repository, by default). An outDir inside the repository keeps node_modules within reach. The storm
 * (tests/support/storm.ts) builds its own copy: a bundle starts in a second where tsx compiles for
 * tens of seconds on a loaded machine.
 */
export async function buildServers(outDir = ROOT) {
  await build({
    entryPoints: {
      'apps/api/dist/server': path.join(ROOT, 'apps/api/src/server.ts'),
      'apps/worker/dist/main': path.join(ROOT, 'apps/worker/src/main.ts'),
    },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    plugins: [workspaceOnly],
    logLevel: 'warning',
  });
  return {
    api: path.join(outDir, 'apps/api/dist/server.js'),
    worker: path.join(outDir, 'apps/worker/dist/main.js'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildServers();
  console.log('[pave] built apps/api/dist/server.js and apps/worker/dist/main.js');
}
