import type { AddressLabel, AddressSuggestion } from '@pave/shared';
import { REVERSE_ADDRESS_METRES, REVERSE_STREET_METRES } from '@pave/shared';
import type { Db, PoolClient } from '../db/pool';
import { smallestAreaCoveringSql } from '../areas/areas.repo';
import type { AddressQuery } from './address-query';

export interface SearchOptions {
  near: { lon: number; lat: number };
  limit: number;
  /** Trigram similarity instead of word prefixes: finds typos, used when prefixes find nothing. */
  fuzzy: boolean;
}

/**
 * How many matching streets nearest the map's centre are ranked. A precise query matches fewer;
 * a vague one ("rue r") matches thousands in a region, and the nearest are the ones a resident means.
 */
const STREET_CANDIDATES = 200;

// Both match conditions are built from $1 alone with immutable functions, so PostgreSQL computes
// them once while planning and sees the real query: it estimates how many streets match ("rue:*"
// matches most, "roquette:*" a few) and picks the index that fits (the nearest streets by the centre
// index for a common word, the word or trigram index for a rare one). Built inside a subquery, the
// query was a run-time parameter, estimated blindly: "rue de la" took 100 ms on 37,000 streets.
const PREFIX_MATCH = `s.words @@ (CASE WHEN q.text = '' THEN NULL ELSE to_tsquery('simple', replace(q.text, ' ', ':* & ') || ':*') END)`;
const FUZZY_MATCH = 'q.text <% s.place';

/**
 * Ranked addresses and streets for a parsed query, built in one statement: matching streets (all
 * word prefixes, in any order, or trigram similarity), the nearest to the centre first, then the
 * typed number on each, then the score (word similarity, less when the number is not on the street).
 * Equal scores go to the closer whole name ("Place de l'Hôtel de Ville" before "… - Esplanade …"),
 * then to the nearest to the map's centre.
 */
export async function searchAddressIndex(
  db: Db,
  query: AddressQuery,
  options: SearchOptions,
): Promise<AddressSuggestion[]> {
  const { rows } = await db.query<{
    label: string;
    lon: number;
    lat: number;
    kind: 'address' | 'street';
    id: string | null;
    score: number;
  }>(
    // NOT MATERIALIZED: q is read twice, and must stay an expression the planner folds (see above).
    // The similarities are computed on the candidates only, after the LIMIT: for a vague query
    // ("rue de la") they would otherwise be computed on every matching street of the region.
    `WITH q AS NOT MATERIALIZED (
       SELECT pave_address_normalize($1) AS text, ST_SetSRID(ST_MakePoint($5, $6), 4326) AS near
     ), candidates AS (
       SELECT s.id, s.centre <-> q.near AS distance
         FROM address_streets s, q
        WHERE q.text <> '' AND ${options.fuzzy ? FUZZY_MATCH : PREFIX_MATCH}
          AND ($4::text IS NULL OR s.postcode = $4)
        ORDER BY s.centre <-> q.near
        LIMIT ${STREET_CANDIDATES}
     ), streets AS (
       SELECT s.id, s.name, s.postcode, s.city, s.centre, c.distance,
              word_similarity(q.text, s.place) AS similarity, similarity(q.text, s.search) AS closeness
         FROM candidates c JOIN address_streets s ON s.id = c.id, q
     )
     SELECT CASE WHEN a.id IS NULL THEN 'street' ELSE 'address' END AS kind,
            a.id,
            coalesce(a.label, s.name || ' ' || s.postcode || ' ' || s.city) AS label,
            ST_X(coalesce(a.geom, s.centre)) AS lon, ST_Y(coalesce(a.geom, s.centre)) AS lat,
            round((s.similarity * CASE WHEN $2::int IS NOT NULL AND a.id IS NULL THEN 0.8 ELSE 1 END)::numeric, 2)::float8 AS score
       FROM streets s
       LEFT JOIN LATERAL (
         SELECT a.id, a.label, a.geom FROM addresses a
          WHERE a.street_id = s.id AND a.number = $2
          ORDER BY a.suffix = $3 DESC, a.suffix LIMIT 1
       ) a ON $2::int IS NOT NULL
      ORDER BY score DESC, s.closeness DESC, s.distance, label
      LIMIT $7`,
    [query.street, query.number, query.suffix, query.postcode, options.near.lon, options.near.lat, options.limit],
  );
  return rows;
}

/**
 * SQL for the address or street at `point` (an SQL expression of a 4326 point), as a subquery of one
 * row (`kind`, `id`, `label`, `metres`) or none: the nearest address within 50 m, else the street of
 * the nearest address within 200 m, in the town at the point (`town_at`): a report just inside
 * Saint-Mandé is not labelled with the Paris street across the boundary. The one reverse rule, for a
 * single point and for many reports at once (LEFT JOIN LATERAL).
 */
export function nearestAddressSql(point: string): string {
  // KNN orders by degrees, which are shorter east-west than north-south: the 8 nearest by degrees
  // hold the nearest in metres. The town is checked on those 8 only: filtering inside the index scan
  // would read the whole index for a point whose town has no address in it.
  return `(
    SELECT CASE WHEN c.metres <= ${REVERSE_ADDRESS_METRES} THEN 'address' ELSE 'street' END AS kind,
           CASE WHEN c.metres <= ${REVERSE_ADDRESS_METRES} THEN c.id END AS id,
           CASE WHEN c.metres <= ${REVERSE_ADDRESS_METRES} THEN c.label ELSE c.street END AS label,
           c.metres
      FROM (
        SELECT k.id, k.label, k.street, k.distance, round(k.distance::numeric)::int AS metres
          FROM (
            SELECT a.id, a.label, a.geom, s.name || ' ' || s.postcode || ' ' || s.city AS street,
                   ST_Distance(a.geom::geography, (${point})::geography) AS distance
              FROM addresses a JOIN address_streets s ON s.id = a.street_id
             ORDER BY a.geom <-> (${point}) LIMIT 8
          ) k, (SELECT town_at(${point}) AS code) here
         WHERE town_at(k.geom) IS NOT DISTINCT FROM here.code
         ORDER BY k.distance LIMIT 1
      ) c
     WHERE c.metres <= ${REVERSE_STREET_METRES})`;
}

/**
 * The address nearest a point within 50 m, else the street of the nearest address within 200 m,
 * else the smallest service area covering it; null when none. One statement.
 */
export async function reverseAddressIndex(db: Db, lon: number, lat: number): Promise<AddressLabel | null> {
  const { rows } = await db.query<{
    kind: 'address' | 'street' | null;
    id: string | null;
    label: string | null;
    metres: number | null;
    area: string | null;
  }>(
    `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g)
     SELECT n.kind, n.id, n.label, n.metres,
            (SELECT name FROM service_areas WHERE id = ${smallestAreaCoveringSql('p.g')}) AS area
       FROM p LEFT JOIN LATERAL ${nearestAddressSql('p.g')} n ON true`,
    [lon, lat],
  );
  const row = rows[0]!;
  if (row.kind) return { kind: row.kind, label: row.label!, id: row.id, metres: row.metres };
  if (row.area) return { kind: 'area', label: row.area, id: null, metres: null };
  return null;
}

/**
 * Gives up to `limit` reports without an address, after `afterId` in id order, the address or street
 * at their point (`nearestAddressSql`), in one statement; those the index places nowhere stay null.
 * Rows another transaction holds are skipped: it is writing their address itself (a moved pin).
 */
export async function fillReportAddresses(
  db: Db,
  afterId: string | null,
  limit: number,
): Promise<{ checked: number; filled: number; lastId: string | null }> {
  const { rows } = await db.query<{ checked: number; filled: number; last_id: string | null }>(
    `WITH batch AS (
       SELECT id, geom FROM reports
        WHERE address IS NULL AND ($1::uuid IS NULL OR id > $1)
        ORDER BY id LIMIT $2
        FOR UPDATE SKIP LOCKED
     ), filled AS (
       UPDATE reports r SET address = n.label, address_id = n.id
         FROM batch b JOIN LATERAL ${nearestAddressSql('b.geom')} n ON true
        WHERE r.id = b.id
       RETURNING r.id
     )
     SELECT (SELECT count(*)::int FROM batch) AS checked, (SELECT count(*)::int FROM filled) AS filled,
            (SELECT id FROM batch ORDER BY id DESC LIMIT 1) AS last_id`,
    [afterId, limit],
  );
  const row = rows[0]!;
  return { checked: row.checked, filled: row.filled, lastId: row.last_id };
}

/** A numbered address by its BAN id. */
export async function findAddressById(
  db: Db,
  id: string,
): Promise<{ id: string; label: string; lon: number; lat: number } | null> {
  const { rows } = await db.query<{ id: string; label: string; lon: number; lat: number }>(
    'SELECT id, label, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM addresses WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

/** One parsed BAN row, ready to stage. */
export interface StagedAddress {
  line: number;
  id: string;
  departement: string;
  number: number;
  suffix: string;
  street: string;
  postcode: string;
  insee: string;
  city: string;
  label: string;
  lon: number;
  lat: number;
}

/** A session table for one import; gone at the end of its transaction. */
export async function createAddressStaging(client: PoolClient): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE address_staging (
       line bigint NOT NULL, id text NOT NULL, departement text NOT NULL, number integer NOT NULL,
       suffix text NOT NULL, street text NOT NULL, search text NOT NULL, postcode text NOT NULL,
       insee text NOT NULL, city text NOT NULL, label text NOT NULL, geom geometry(Point, 4326) NOT NULL
     ) ON COMMIT DROP`,
  );
}

/** Stages a batch of rows in one statement. */
export async function stageAddresses(client: PoolClient, rows: StagedAddress[]): Promise<void> {
  const column = <K extends keyof StagedAddress>(key: K) => rows.map((r) => r[key]);
  await client.query(
    `INSERT INTO address_staging (line, id, departement, number, suffix, street, search, postcode, insee, city, label, geom)
     SELECT t.line, t.id, t.departement, t.number, t.suffix, t.street, n.search, t.postcode, t.insee, t.city, t.label,
            ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::float8[], $12::float8[])
         AS t(line, id, departement, number, suffix, street, postcode, insee, city, label, lon, lat)
       -- Normalised once per street name of the batch, not once per row: a BAN file holds ~30
       -- addresses per street, and normalising was a quarter of the time of a million-row import.
       JOIN (SELECT street, pave_address_normalize(street) AS search FROM unnest($6::text[]) AS u(street) GROUP BY street) n
         ON n.street = t.street`,
    [
      column('line'),
      column('id'),
      column('departement'),
      column('number'),
      column('suffix'),
      column('street'),
      column('postcode'),
      column('insee'),
      column('city'),
      column('label'),
      column('lon'),
      column('lat'),
    ],
  );
}

/** Removes staged rows whose id an earlier line already used; their count and first line numbers. */
export async function dropDuplicateStagedIds(
  client: PoolClient,
  sampleSize: number,
): Promise<{ count: number; lines: number[] }> {
  const { rows } = await client.query<{ count: number; lines: string[] | null }>(
    `WITH dropped AS (
       DELETE FROM address_staging s
        USING (SELECT line, row_number() OVER (PARTITION BY id ORDER BY line) AS n FROM address_staging) d
        WHERE d.line = s.line AND d.n > 1
       RETURNING s.line
     )
     SELECT count(*)::int AS count, (array_agg(line ORDER BY line))[1:$1] AS lines FROM dropped`,
    [sampleSize],
  );
  return { count: rows[0]!.count, lines: (rows[0]!.lines ?? []).map(Number) };
}

/**
 * Leaves the new index ready for searches, in the import's transaction: the planner's statistics
 * of the new rows (else a million-row import is planned with the old ones until autovacuum comes
 * round, and a search of a common word took the wrong index) and the GIN indexes' pending lists
 * merged (else every search reads the imported streets' entries one by one: 6.6 ms instead of 0.1 for "quai rape" over 37,000 streets).
 */
export async function settleAddressIndex(client: PoolClient): Promise<void> {
  await client.query(
    "SELECT gin_clean_pending_list('address_streets_words'), gin_clean_pending_list('address_streets_place_trgm')",
  );
  await client.query('ANALYZE address_streets, addresses');
}

/**
 * Clears the rows an import replaced, after its commit (VACUUM cannot run in a transaction): until
 * then every nearest-address lookup steps over the old index's dead twins of its points (reverse
 * lookup p50 9 ms instead of 1 ms over a re-imported million addresses). Best effort: the import is
 * already committed, and autovacuum gets there in the end.
 */
export async function vacuumAddressIndex(db: Db): Promise<void> {
  await db.query('VACUUM address_streets, addresses').catch(() => {});
}

/**
 * Replaces every département present in the staging table with its staged rows: inside the
 * import's transaction, so readers see the old index until the commit and the new one after.
 */
export async function replaceStagedDepartements(
  client: PoolClient,
): Promise<{ departements: string[]; streets: number; addresses: number }> {
  const { rows: departements } = await client.query<{ departement: string }>(
    'SELECT DISTINCT departement FROM address_staging ORDER BY departement',
  );
  const codes = departements.map((d) => d.departement);
  await client.query('DELETE FROM address_streets WHERE departement = ANY($1)', [codes]);
  const streets = await client.query(
    `INSERT INTO address_streets (departement, insee, postcode, city, name, search, place, words, centre)
     SELECT departement, insee, postcode, city, name, search, place, to_tsvector('simple', place), centre
       FROM (SELECT departement, insee, postcode, min(city) AS city, mode() WITHIN GROUP (ORDER BY street) AS name, search,
                    search || ' ' || pave_address_normalize(min(city)) AS place,
                    ST_ClosestPoint(ST_Collect(geom), ST_Centroid(ST_Collect(geom))) AS centre
               FROM address_staging
              WHERE search <> ''
              GROUP BY departement, insee, postcode, search) streets`,
  );
  const addresses = await client.query(
    `INSERT INTO addresses (id, street_id, number, suffix, label, geom)
     SELECT b.id, s.id, b.number, b.suffix, b.label, b.geom
       FROM address_staging b
       JOIN address_streets s ON s.insee = b.insee AND s.postcode = b.postcode AND s.search = b.search
     ON CONFLICT (id) DO NOTHING`,
  );
  return { departements: codes, streets: streets.rowCount ?? 0, addresses: addresses.rowCount ?? 0 };
}
