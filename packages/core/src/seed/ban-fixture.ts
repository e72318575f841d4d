import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Pool } from '../db/pool';
import { BAN_HEADER, importBanFile, type ImportReport } from '../addresses/ban-import';
import { SEED_DATA_DIR } from './city';

/** The demo city's address file, made by `npm run addresses:fixture` from the DansMaRue extract. */
export const DEMO_ADDRESS_FILE = path.join(SEED_DATA_DIR, 'adresses-75-dansmarue.csv.gz');

const ADDRESS = /^(\d{1,4})(?:-\d{1,4})?\s*(bis|ter|quater|b|t|q|[a-h])?\s+(.+?),\s*(750\d\d|75116)\s+PARIS$/i;
const SUFFIX: Record<string, string> = { b: 'bis', t: 'ter', q: 'quater' };

/** One BAN row as a record of its columns. */
export type BanRow = Record<(typeof BAN_HEADER)[number], string>;

/**
 * Turns the real addresses of DansMaRue reports (ODbL) into BAN rows: one per distinct numbered
 * address, at the position of its first report. The extract has no FANTOIR codes, so each id's
 * street part is a hash of the street name (`75111_3f2a_00012`), stable across runs.
 */
export async function buildDemoBanRows(): Promise<BanRow[]> {
  const reports = parse(await readFile(path.join(SEED_DATA_DIR, 'dansmarue-locations.csv'), 'utf8'), {
    columns: true,
  }) as { address: string; longitude: string; latitude: string }[];
  const rows = new Map<string, BanRow>();
  for (const report of reports) {
    const match = ADDRESS.exec(report.address.trim());
    if (!match) continue;
    const [, numero, rawSuffix, street, postcode] = match as unknown as [
      string,
      string,
      string | undefined,
      string,
      string,
    ];
    const rep = rawSuffix ? (SUFFIX[rawSuffix.toLowerCase()] ?? rawSuffix.toLowerCase()) : '';
    const insee = postcode === '75116' ? '75116' : `751${postcode.slice(3)}`;
    const arrondissement = Number(insee.slice(3));
    const streetCode = createHash('sha1').update(street.toLowerCase()).digest('hex').slice(0, 4);
    const id = `${insee}_${streetCode}_${numero.padStart(5, '0')}${rep ? `_${rep}` : ''}`;
    if (rows.has(id)) continue;
    rows.set(id, {
      id,
      id_fantoir: '',
      numero,
      rep,
      nom_voie: street,
      code_postal: postcode,
      code_insee: insee,
      nom_commune: `Paris ${arrondissement}${arrondissement === 1 ? 'er' : 'e'} Arrondissement`,
      code_insee_ancienne_commune: '',
      nom_ancienne_commune: '',
      x: '',
      y: '',
      lon: Number(report.longitude).toFixed(6),
      lat: Number(report.latitude).toFixed(6),
      type_position: 'entrée',
      alias: '',
      nom_ld: '',
      libelle_acheminement: 'PARIS',
      nom_afnor: '',
      source_position: 'dansmarue',
      source_nom_voie: 'dansmarue',
      certification_commune: '0',
      cad_parcelles: '',
    });
  }
  return [...rows.values()];
}

/** BAN's CSV text: `;`-separated, a header line, no quoting (the values hold no `;`). */
export function toBanCsv(rows: BanRow[]): string {
  const lines = rows.map((row) => BAN_HEADER.map((column) => row[column].replaceAll(';', ',')).join(';'));
  return `${[BAN_HEADER.join(';'), ...lines].join('\n')}\n`;
}

/**
 * Imports the demo city's addresses through the real importer when the index is empty: a city that
 * imported its own BAN file keeps it. Null when the index already held addresses.
 */
export async function seedDemoAddresses(pool: Pool): Promise<ImportReport | null> {
  const { rows } = await pool.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM addresses) AS found');
  return rows[0]!.found ? null : importBanFile(pool, DEMO_ADDRESS_FILE);
}
