// Category suggestions (issue #15): top-1/top-3 accuracy on held-out real DansMaRue reports, split by
// date, against the "most frequent categories" baseline, plus how often the position has any evidence
// nearby and how long building and asking the model take. In-process: the model is the API's own
// (`buildSuggestModel`, `rankCategories`); only the nearby count is done here in JavaScript with the
// endpoint's radius, instead of the endpoint's PostGIS query, so the reports need not be written to a
// database.
//
// Where the labels come from: `packages/core/src/seed/data/dansmarue-locations.csv`, 6,003 real
// reports whose residents all chose DansMaRue's sub-type "Trottoirs : Affaissement, trou, bosse, pavé
// arraché" (ODbL, Ville de Paris; see that folder's README). The demo seed uses their places and dates
// only; mapped to our tree, that sub-type is `trottoir-degrade` ("Trottoir dégradé"). The extract has
// no descriptions, so the word half of the model cannot be measured on real data here.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  buildSuggestModel,
  createPool,
  findCategoryTree,
  normaliseWords,
  pickSuggestions,
  rankCategories,
  SUGGEST_NEARBY_METRES,
  type SuggestDocument,
} from '@pave/core';
import { SEED_DATA_DIR } from '@pave/core/seed';
import { summarise } from './lib';

const BENCH_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://pave:pave@127.0.0.1:5432/pave_bench';
/** Reports on or after this day are held out; earlier ones are the training part. */
const CUTOFF = process.env.BENCH_SUGGEST_CUTOFF ?? '2024-07-01';
const DANSMARUE_LABEL = 'trottoir-degrade';

interface Row {
  id_dmr: string;
  date: string;
  longitude: string;
  latitude: string;
}

interface Labelled {
  code: string;
  lon: number;
  lat: number;
  text: string;
}

function metresBetween(a: Labelled, b: Labelled): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

function nearbyCounts(point: Labelled, training: Labelled[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const other of training) {
    if (metresBetween(point, other) <= SUGGEST_NEARBY_METRES) counts.set(other.code, (counts.get(other.code) ?? 0) + 1);
  }
  return counts;
}

export async function run(): Promise<void> {
  const pool = createPool({ connectionString: BENCH_URL, max: 1 });
  const tree = await findCategoryTree(pool);
  await pool.end();
  const categories = tree.flatMap((g) =>
    g.categories.map((c) => ({ code: c.code, words: [c.label.fr, c.label.en, ...c.synonyms] })),
  );
  if (!categories.some((c) => c.code === DANSMARUE_LABEL))
    throw new Error(`no ${DANSMARUE_LABEL} category in ${BENCH_URL}`);

  const rows = parse(await readFile(path.join(SEED_DATA_DIR, 'dansmarue-locations.csv'), 'utf8'), {
    columns: true,
  }) as Row[];
  const toLabelled = (r: Row): Labelled => ({
    code: DANSMARUE_LABEL,
    lon: Number(r.longitude),
    lat: Number(r.latitude),
    text: '',
  });
  const training = rows.filter((r) => r.date < CUTOFF).map(toLabelled);
  const heldOut = rows.filter((r) => r.date >= CUTOFF).map(toLabelled);
  const labels = new Set([...training, ...heldOut].map((r) => r.code));
  console.log(
    `data: ${rows.length} DansMaRue reports; training before ${CUTOFF}: ${training.length}, held out: ${heldOut.length}; distinct labels: ${labels.size}`,
  );

  const documents: SuggestDocument[] = training.map((r) => ({ code: r.code, text: r.text }));
  const buildStart = performance.now();
  const model = buildSuggestModel(categories, documents);
  const buildMs = performance.now() - buildStart;

  // Baseline: the categories most often filed in the training part, the same three for everyone.
  const baseline = [...model.reportCounts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code]) => code);

  let top1 = 0;
  let top3 = 0;
  let base1 = 0;
  let base3 = 0;
  let withNeighbour = 0;
  const neighbours: number[] = [];
  const askTimes: number[] = [];
  for (const report of heldOut) {
    const nearby = nearbyCounts(report, training);
    const total = [...nearby.values()].reduce((s, n) => s + n, 0);
    neighbours.push(total);
    if (total > 0) withNeighbour += 1;
    const start = performance.now();
    const ranked = rankCategories(model, { words: normaliseWords(report.text), nearby });
    askTimes.push(performance.now() - start);
    // What the API would show: at most three, each clearly above chance.
    const codes = pickSuggestions(ranked, 3).map((s) => s.code);
    if (codes[0] === report.code) top1 += 1;
    if (codes.includes(report.code)) top3 += 1;
    if (baseline[0] === report.code) base1 += 1;
    if (baseline.slice(0, 3).includes(report.code)) base3 += 1;
  }
  const pct = (n: number) => `${((100 * n) / heldOut.length).toFixed(1)} %`;
  console.log(`model (position, no words): top-1 ${pct(top1)}, top-3 ${pct(top3)}`);
  console.log(`baseline (most frequent in training): top-1 ${pct(base1)}, top-3 ${pct(base3)}`);
  if (labels.size === 1) {
    console.log(
      'caveat: every real label is the same sub-type, so both figures only show that nothing breaks the obvious answer; ' +
        'they say nothing about telling categories apart. Labelled descriptions of several categories are needed for that.',
    );
  }
  const sortedNeighbours = [...neighbours].sort((a, b) => a - b);
  console.log(
    `position evidence: ${pct(withNeighbour)} of held-out reports have ≥ 1 training report within ${SUGGEST_NEARBY_METRES} m ` +
      `(median ${sortedNeighbours[Math.floor(sortedNeighbours.length / 2)]}, p90 ${sortedNeighbours[Math.floor(sortedNeighbours.length * 0.9)]})`,
  );
  const ask = summarise(askTimes);
  console.log(
    `speed: model of ${documents.length} reports and ${categories.length} categories built in ${buildMs.toFixed(1)} ms; ` +
      `ranking p50 ${ask.p50.toFixed(3)} ms, p99 ${ask.p99.toFixed(3)} ms (n=${ask.n})`,
  );

  // Build time at the API's training limit (20,000 descriptions): the texts are the category words
  // repeated, so only the time means something here, not any accuracy.
  const sizedDocs = Array.from({ length: 20_000 }, (_, i) => {
    const c = categories[i % categories.length]!;
    return { code: c.code, text: c.words.join(' ') };
  });
  const sizedStart = performance.now();
  buildSuggestModel(categories, sizedDocs);
  console.log(
    `speed: model of ${sizedDocs.length} documents built in ${(performance.now() - sizedStart).toFixed(1)} ms`,
  );
}
