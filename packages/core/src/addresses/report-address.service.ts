import type { AddressLabel } from '@pave/shared';
import type { Db } from '../db/pool';
import type { Logger } from '../logger';
import { fillReportAddresses } from './addresses.repo';
import type { Geocoder } from './geocoder';

/** What a report stores of its place: the label of an address or a street, and the BAN id of an address. */
export interface ReportAddress {
  address: string | null;
  addressId: string | null;
}

const NO_ADDRESS: ReportAddress = { address: null, addressId: null };

/**
 * A reverse lookup's answer as a report stores it. An area gives none: its name is on the report
 * already, and an address field saying "Paris 11e" would hide that the index knew no street there.
 */
export function toReportAddress(found: Pick<AddressLabel, 'kind' | 'label' | 'id'> | null): ReportAddress {
  if (!found || found.kind === 'area') return NO_ADDRESS;
  return { address: found.label, addressId: found.kind === 'address' ? found.id : null };
}

/**
 * The address to store for a report at a point, looked up before the report's transaction. A lookup
 * that fails (the external geocoder away) never blocks or loses a report: it is logged and the report
 * stored without an address, which the next `addresses.backfill` fills from the city's index.
 */
export async function lookUpReportAddress(
  deps: { geocoder: Geocoder; log?: Pick<Logger, 'warn'> },
  lon: number,
  lat: number,
): Promise<ReportAddress> {
  try {
    return toReportAddress(await deps.geocoder.reverse(lon, lat));
  } catch (error) {
    deps.log?.warn({ err: error, lon, lat }, 'address lookup failed; report stored without an address');
    return NO_ADDRESS;
  }
}

/** Reports per statement: a batch holds its rows' locks for a fraction of a second. */
const BACKFILL_BATCH = 500;

/**
 * Gives every report without an address the address or street at its point, from the city's index,
 * in batches (id order, each batch one statement) until none is left. Each report is looked up once
 * per run, so one the index places nowhere (only an area) ends the run rather than being retried;
 * running again (after the next import) looks again. Idempotent: a filled report is never touched.
 */
export async function backfillReportAddresses(db: Db): Promise<{ checked: number; filled: number }> {
  let afterId: string | null = null;
  const total = { checked: 0, filled: 0 };
  for (;;) {
    const batch = await fillReportAddresses(db, afterId, BACKFILL_BATCH);
    total.checked += batch.checked;
    total.filled += batch.filled;
    if (batch.lastId === null) return total;
    afterId = batch.lastId;
  }
}
