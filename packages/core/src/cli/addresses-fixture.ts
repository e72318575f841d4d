// `npm run addresses:fixture`: rewrites the demo city's BAN file from the DansMaRue extract (ODbL).
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { buildDemoBanRows, DEMO_ADDRESS_FILE, toBanCsv } from '../seed/ban-fixture';

const rows = await buildDemoBanRows();
// mtime 0 in the gzip header: the same rows give the same bytes, so git sees no change.
await writeFile(DEMO_ADDRESS_FILE, gzipSync(toBanCsv(rows), { level: 9 }));
console.log(`addresses:fixture: ${rows.length} addresses written to ${DEMO_ADDRESS_FILE}`);
