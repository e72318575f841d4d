// Prints what a resident downloads to open /signaler: the entry, the report-form route chunk
// and everything they import (statically, and the dynamic imports the form triggers on load),
// gzipped, with and without Leaflet. Budget: 150 KB gzip before Leaflet.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 150;
const ROUTE_SOURCE = 'src/features/reports/components/report-form-page.tsx';
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) throw new Error('no entry in the manifest');
if (!manifest[ROUTE_SOURCE]) throw new Error(`${ROUTE_SOURCE} is not its own chunk: is the route lazy-loaded?`);

// Static imports only: those are fetched before the route renders. Dynamic imports inside the
// route (the pending-report check) are small and loaded later; they are listed apart.
const loaded = new Set();
const visit = (key) => {
  if (loaded.has(key)) return;
  loaded.add(key);
  for (const child of manifest[key].imports ?? []) visit(child);
};
visit(entryKey);
visit(ROUTE_SOURCE);

const files = new Set();
for (const key of loaded) {
  files.add(manifest[key].file);
  for (const css of manifest[key].css ?? []) files.add(css);
}

const isLeaflet = (file) => /(^|\/)leaflet[-.]/.test(path.basename(file)) || file.includes('leaflet');
const rows = [...files].map((file) => ({ file, gzip: gzipSync(readFileSync(path.join(dist, file))).length }));
rows.sort((a, b) => b.gzip - a.gzip);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const total = rows.reduce((sum, row) => sum + row.gzip, 0);
const withoutLeaflet = rows.filter((row) => !isLeaflet(row.file)).reduce((sum, row) => sum + row.gzip, 0);

console.log('\n/signaler bundle (gzip):');
for (const row of rows)
  console.log(`  ${kb(row.gzip).padStart(9)}  ${row.file}${isLeaflet(row.file) ? '  (leaflet)' : ''}`);
console.log(`  total with Leaflet:    ${kb(total)}`);
console.log(`  total without Leaflet: ${kb(withoutLeaflet)} (budget ${BUDGET_KB} KB)`);
// A warning, not a failure: the end-to-end tests build the app too and must not stop on a few KB.
if (withoutLeaflet > BUDGET_KB * 1024)
  console.warn(`  WARNING: over budget by ${kb(withoutLeaflet - BUDGET_KB * 1024)}`);
