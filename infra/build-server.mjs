// Bundles the API and the worker (and the workspace packages they import) into one file each.
// npm dependencies stay external and are loaded from node_modules at run time.
import { build } from 'esbuild';

const workspaceOnly = {
  name: 'workspace-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@pave/') ? undefined : { path: args.path, external: true },
    );
  },
};

await build({
  entryPoints: { 'apps/api/dist/server': 'apps/api/src/server.ts', 'apps/worker/dist/main': 'apps/worker/src/main.ts' },
  outdir: '.',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [workspaceOnly],
  logLevel: 'warning',
});
console.log('[pave] built apps/api/dist/server.js and apps/worker/dist/main.js');
