import type { Db } from '../db/pool';

/** Asks PostgreSQL for PostGIS's version: a round trip that also proves the extension is there. */
export async function pingPostgis(db: Db): Promise<void> {
  await db.query('SELECT postgis_lib_version()');
}
