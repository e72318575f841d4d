import { Readable } from 'node:stream';
import {
  EXPORT_COLUMNS,
  EXPORT_HEADINGS_FR,
  PUBLIC_STATUS,
  type AnalyticsFilterQuery,
  type CsvExportFormat,
  type ReportStatus,
} from '@pave/shared';
import type { Pool, PoolClient } from '../db/pool';
import type { StaffUser } from '../staff/staff.repo';
import {
  endExportTransaction,
  EXPORT_LABEL_COLUMNS,
  fetchExportRows,
  openExportCursor,
  type AnalyticsFilter,
} from './analytics.repo';
import { prepareAnalyticsFilter } from './analytics.service';

/** `csv` is the French spreadsheet file, `csv-codes` the machine one (see CSV_EXPORT_FORMATS). */
export type ExportFormat = 'csv' | 'csv-codes' | 'geojson';

/** Rows per FETCH: large enough that round trips do not dominate, small enough to keep memory flat. */
const FETCH_ROWS = 2000;
const COLUMN_INDEX = Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof EXPORT_COLUMNS)[number],
  number
>;
const TIMES = [
  COLUMN_INDEX.created_at,
  COLUMN_INDEX.acknowledged_at,
  COLUMN_INDEX.resolved_at,
  COLUMN_INDEX.closed_at,
  COLUMN_INDEX.deadline_at,
];
const NUMERIC = new Set<number>([
  COLUMN_INDEX.reopen_count,
  COLUMN_INDEX.support_count,
  COLUMN_INDEX.lon,
  COLUMN_INDEX.lat,
]);

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * Text starting with = + - @ (or a tab or carriage return) is prefixed with a quote so a spreadsheet
 * shows it instead of running it as a formula (OWASP "CSV injection"). Numbers are written as they are.
 */
export function csvField(value: unknown, isNumber = false, separator: ',' | ';' = ','): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (!isNumber && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  const needsQuotes = separator === ',' ? /[",\r\n]/ : /[";\r\n]/;
  return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `2026-03-01 09:12:45.123456+00` (UTC, ISO DateStyle) → `2026-03-01T09:12:45Z`, in place. */
function toIsoTimes(row: unknown[]): unknown[] {
  for (const i of TIMES) {
    const text = row[i] as string | null;
    if (text) row[i] = `${text.slice(0, 10)}T${text.slice(11, 19)}Z`;
  }
  return row;
}

function csvLine(row: unknown[]): string {
  let line = '';
  for (let i = 0; i < EXPORT_COLUMNS.length; i++) line += (i > 0 ? ',' : '') + csvField(row[i], NUMERIC.has(i));
  return line + '\r\n';
}

const LABEL_AT = Object.fromEntries(
  EXPORT_LABEL_COLUMNS.map((column, k) => [COLUMN_INDEX[column], EXPORT_COLUMNS.length + k]),
) as Record<number, number>;
const STATUS_AT = COLUMN_INDEX.status;
const FRENCH_HEADER = `\uFEFF${EXPORT_COLUMNS.map((c) => csvField(EXPORT_HEADINGS_FR[c], false, ';')).join(';')}\r\n`;

/**
 * One line of the French file: names instead of codes (the status's public label), and decimal commas,
 * which is what a French spreadsheet reads as a number once `;` separates the fields.
 */
function frenchCsvLine(row: unknown[]): string {
  let line = '';
  for (let i = 0; i < EXPORT_COLUMNS.length; i++) {
    let value = row[i];
    if (i in LABEL_AT) value = row[LABEL_AT[i]!];
    else if (i === STATUS_AT) value = PUBLIC_STATUS[value as ReportStatus]?.label.fr ?? value;
    else if (NUMERIC.has(i) && value !== null && value !== undefined) value = String(value).replace('.', ',');
    line += (i > 0 ? ';' : '') + csvField(value, NUMERIC.has(i), ';');
  }
  return line + '\r\n';
}

function geojsonFeature(row: unknown[]): string {
  const properties: Record<string, unknown> = {};
  for (const [i, column] of EXPORT_COLUMNS.entries()) {
    if (column !== 'lon' && column !== 'lat') properties[column] = row[i] ?? null;
  }
  return JSON.stringify({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [row[COLUMN_INDEX.lon], row[COLUMN_INDEX.lat]] },
    properties,
  });
}

/**
 * Streams the rows of a server-side cursor. Each `_read` FETCHes one batch and pushes it as one chunk;
 * Node only asks again once the consumer has drained, so a slow client holds back the database instead
 * of filling memory. The cursor lives in a read-only REPEATABLE READ transaction (one consistent
 * snapshot for the whole file); destroying the stream (client gone, error) rolls back and frees the connection.
 */
class CursorExportStream extends Readable {
  private client: PoolClient | null = null;
  private rowsSent = 0;
  private done = false;
  private reading = false;

  constructor(
    private readonly pool: Pool,
    private readonly exportFilter: AnalyticsFilter,
    private readonly format: ExportFormat,
  ) {
    super();
  }

  override _read(): void {
    // One batch in flight at a time. `reading` is cleared just before the batch's push: Node may call
    // _read again from inside push, and a call ignored while Node waits for a push would stall the stream.
    if (this.reading || this.done) return;
    this.reading = true;
    this.readBatch().catch((error: Error) => this.destroy(error));
  }

  private async readBatch(): Promise<void> {
    let chunk = '';
    if (!this.client) {
      const client = await this.pool.connect();
      // Destroyed while waiting for a connection (the client went away): nothing to roll back.
      if (this.destroyed) return client.release();
      this.client = client;
      await openExportCursor(client, this.exportFilter);
      // A BOM so spreadsheet software reads the accents of labels as UTF-8.
      chunk =
        this.format === 'csv'
          ? FRENCH_HEADER
          : this.format === 'csv-codes'
            ? `\uFEFF${EXPORT_COLUMNS.join(',')}\r\n`
            : '{"type":"FeatureCollection","features":[\n';
    }
    if (!this.client) return;
    const rows = await fetchExportRows(this.client, FETCH_ROWS);
    if (rows.length === 0) {
      this.done = true;
      await this.release('COMMIT');
      this.reading = false;
      if (this.format === 'geojson') chunk += '\n]}\n';
      if (chunk) this.push(chunk);
      this.push(null);
      return;
    }
    if (this.format === 'csv') {
      for (const row of rows) chunk += frenchCsvLine(toIsoTimes(row));
    } else if (this.format === 'csv-codes') {
      for (const row of rows) chunk += csvLine(toIsoTimes(row));
    } else {
      for (const row of rows) {
        chunk += (this.rowsSent > 0 ? ',\n' : '') + geojsonFeature(toIsoTimes(row));
        this.rowsSent += 1;
      }
    }
    this.reading = false;
    this.push(chunk);
  }

  private async release(end: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = null;
    try {
      await endExportTransaction(client, end);
      client.release();
    } catch (error) {
      // A connection whose transaction state is unknown must not go back to the pool.
      client.release(error as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.release('ROLLBACK').then(
      () => callback(error),
      () => callback(error),
    );
  }
}

/**
 * The filtered reports as CSV (French or codes) or GeoJSON, streamed from a server-side cursor: a
 * million rows never sit in memory. Filters are checked (and a 4xx thrown) before the first byte. No
 * personal data: the columns are EXPORT_COLUMNS only (no description, e-mail, name, phone, device or photo).
 */
export async function exportReports(
  deps: { db: Pool },
  user: StaffUser,
  query: AnalyticsFilterQuery & { format?: CsvExportFormat },
  kind: 'csv' | 'geojson',
): Promise<{ stream: Readable; filename: string; contentType: string }> {
  const { format: csvFormat, ...filterQuery } = query;
  const { filter } = await prepareAnalyticsFilter(deps, user, filterQuery, false);
  const format: ExportFormat = kind === 'csv' && csvFormat === 'codes' ? 'csv-codes' : kind;
  const suffix = format === 'csv-codes' ? '-codes' : '';
  return {
    stream: new CursorExportStream(deps.db, filter, format),
    filename: `signalements-${filter.from}-${filter.to}${suffix}.${kind}`,
    contentType: kind === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json; charset=utf-8',
  };
}
