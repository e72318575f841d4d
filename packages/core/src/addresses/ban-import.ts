import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/pool';
import { insertOutboxJob } from '../outbox/outbox.repo';
import {
  createAddressStaging,
  dropDuplicateStagedIds,
  replaceStagedDepartements,
  settleAddressIndex,
  stageAddresses,
  vacuumAddressIndex,
  type StagedAddress,
} from './addresses.repo';

/** The columns of a BAN `adresses-<département>.csv` file, in its order. */
export const BAN_HEADER = [
  'id',
  'id_fantoir',
  'numero',
  'rep',
  'nom_voie',
  'code_postal',
  'code_insee',
  'nom_commune',
  'code_insee_ancienne_commune',
  'nom_ancienne_commune',
  'x',
  'y',
  'lon',
  'lat',
  'type_position',
  'alias',
  'nom_ld',
  'libelle_acheminement',
  'nom_afnor',
  'source_position',
  'source_nom_voie',
  'certification_commune',
  'cad_parcelles',
] as const;

/** The BAN columns the index reads; the file may hold the others, in any order. */
export const BAN_COLUMNS = [
  'id',
  'numero',
  'rep',
  'nom_voie',
  'code_postal',
  'code_insee',
  'nom_commune',
  'lon',
  'lat',
] as const satisfies readonly (typeof BAN_HEADER)[number][];

/** Why a row was refused; the keys of `ImportReport.refused`. */
export type RefusalReason =
  | 'wrong number of columns'
  | 'missing id'
  | 'house number is not a whole number from 0 to 99998'
  | 'missing street name'
  | 'postcode is not 5 digits'
  | 'INSEE code is not valid'
  | 'coordinates are not numbers'
  | 'coordinates are out of range'
  | 'duplicate id';

export interface ImportReport {
  read: number;
  kept: number;
  refused: Partial<Record<RefusalReason, { count: number; lines: number[] }>>;
  departements: string[];
  streets: number;
}

/** A file that cannot be imported at all (its header, its size of refusals): nothing was changed. */
export class AddressImportError extends Error {
  constructor(
    message: string,
    readonly report?: ImportReport,
  ) {
    super(message);
  }
}

const BATCH = 5_000;
/** Line numbers kept per refusal reason: enough to find the problem, flat memory on any file. */
const SAMPLE = 20;

export interface ImportOptions {
  /** Above this share of refused rows the file is taken as broken and nothing is imported. */
  maxRefusedRatio?: number;
}

/** Imports a BAN CSV file (`.csv` or `.csv.gz`), replacing each département it holds. */
export async function importBanFile(pool: Pool, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  const input = createReadStream(file);
  // pipeline, not pipe: a read error (a missing file) must reach the gunzip stream, which the import reads.
  const source = file.endsWith('.gz') ? pipeline(input, createGunzip(), () => {}) : input;
  try {
    return await importBanStream(pool, source, options);
  } catch (error) {
    // zlib's messages ("unexpected end of file", "incorrect header check") do not name the file's problem.
    const code = (error as NodeJS.ErrnoException).code;
    if (code?.startsWith('Z_')) {
      throw new AddressImportError(
        `The file cannot be decompressed (${(error as Error).message}): it is not gzip, or it is truncated or corrupt.`,
      );
    }
    throw error;
  }
}

/**
 * Streams BAN rows into a staging table in batches and swaps each département in one transaction:
 * memory stays flat at any file size, and a failure leaves the index as it was.
 */
export async function importBanStream(pool: Pool, input: Readable, options: ImportOptions = {}): Promise<ImportReport> {
  const maxRefusedRatio = options.maxRefusedRatio ?? 0.05;
  const report: ImportReport = { read: 0, kept: 0, refused: {}, departements: [], streets: 0 };
  const refuse = (reason: RefusalReason, line: number) => {
    const entry = (report.refused[reason] ??= { count: 0, lines: [] });
    entry.count++;
    if (entry.lines.length < SAMPLE) entry.lines.push(line);
  };
  // A read error (a missing file, a corrupt gzip) must end the parse with that error, not leave it
  // waiting; and it may come before the loop below reads the parser, so pipeline listens for it
  // from now on (an error event without a listener would crash the process).
  const parser = pipeline(
    input,
    parse({
      delimiter: ';',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      bom: true,
    }),
    () => {},
  );

  const imported = await withTransaction(pool, async (client) => {
    await createAddressStaging(client);
    let columns: Record<(typeof BAN_COLUMNS)[number], number> | null = null;
    let width = 0;
    let batch: StagedAddress[] = [];
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!columns) {
        columns = readHeader(record);
        width = record.length;
        continue;
      }
      report.read++;
      const row = readRow(record, width, columns, info.lines);
      if (typeof row === 'string') {
        refuse(row, info.lines);
        continue;
      }
      batch.push(row);
      if (batch.length >= BATCH) {
        await stageAddresses(client, batch);
        batch = [];
      }
    }
    if (!columns) throw new AddressImportError('The file is empty: a BAN file starts with a header line.');
    if (batch.length > 0) await stageAddresses(client, batch);

    const duplicates = await dropDuplicateStagedIds(client, SAMPLE);
    if (duplicates.count > 0) report.refused['duplicate id'] = duplicates;
    const refused = Object.values(report.refused).reduce((n, r) => n + r.count, 0);
    if (report.read === 0 || refused > report.read * maxRefusedRatio) {
      throw new AddressImportError(
        report.read === 0
          ? 'The file holds no rows: nothing was imported.'
          : `${refused} of ${report.read} rows were refused (more than ${Math.round(maxRefusedRatio * 100)} %): the file looks broken, so nothing was imported.`,
        report,
      );
    }
    const replaced = await replaceStagedDepartements(client);
    await settleAddressIndex(client);
    // Committed with the new index, so the reports it can now place are filled after every import.
    await insertOutboxJob(client, 'addresses.backfill', { importedAt: new Date().toISOString() });
    report.departements = replaced.departements;
    report.streets = replaced.streets;
    report.kept = replaced.addresses;
    return report;
  });
  await vacuumAddressIndex(pool);
  return imported;
}

function readHeader(record: string[]): Record<(typeof BAN_COLUMNS)[number], number> {
  const names = record.map((name) => name.trim().toLowerCase());
  const missing = BAN_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    const separator = names.length === 1 && /[,\t|]/.test(names[0]!) ? " The columns must be separated by ';'." : '';
    throw new AddressImportError(`The header lacks the BAN column(s) ${missing.join(', ')}.${separator}`);
  }
  return Object.fromEntries(BAN_COLUMNS.map((column) => [column, names.indexOf(column)])) as Record<
    (typeof BAN_COLUMNS)[number],
    number
  >;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function readRow(
  record: string[],
  width: number,
  columns: Record<(typeof BAN_COLUMNS)[number], number>,
  line: number,
): StagedAddress | RefusalReason {
  if (record.length !== width) return 'wrong number of columns';
  const field = (name: (typeof BAN_COLUMNS)[number]) => record[columns[name]]!.trim();
  const id = field('id');
  const numero = field('numero');
  const street = field('nom_voie');
  const postcode = field('code_postal');
  const insee = field('code_insee').toUpperCase();
  const lonText = field('lon');
  const latText = field('lat');
  if (!id || id.length > 100) return 'missing id';
  // 99999 is BAN's number for a locality without house numbers: not an address.
  if (!/^\d{1,5}$/.test(numero) || Number(numero) > 99_998) return 'house number is not a whole number from 0 to 99998';
  if (!street || street.length > 200) return 'missing street name';
  if (!/^\d{5}$/.test(postcode)) return 'postcode is not 5 digits';
  if (!/^(\d{5}|2[AB]\d{3})$/.test(insee)) return 'INSEE code is not valid';
  if (!DECIMAL.test(lonText) || !DECIMAL.test(latText)) return 'coordinates are not numbers';
  const lon = Number(lonText);
  const lat = Number(latText);
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return 'coordinates are out of range';
  const number = Number(numero);
  const suffix = field('rep').toLowerCase().slice(0, 20);
  const city =
    field('nom_commune')
      .replace(/\s+\d+(er|e)\s+arrondissement$/i, '')
      .slice(0, 200) || insee;
  return {
    line,
    id,
    departement: insee.startsWith('97') ? insee.slice(0, 3) : insee.slice(0, 2),
    number,
    suffix,
    street,
    postcode,
    insee,
    city,
    label: `${number}${suffix ? ` ${suffix}` : ''} ${street} ${postcode} ${city}`,
    lon,
    lat,
  };
}
