import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { withTransaction, type Pool, type PoolClient } from '../db/pool';
import {
  ARRONDISSEMENT_NUMBER,
  CATEGORY_ATTRIBUTES,
  CATEGORY_TREE,
  CITY_WIDE_TEAMS,
  FALLBACK_TEAM,
  PER_AREA_DOMAINS,
} from './categories.data';
import { PARIS_TOWN_CODE } from './demo-towns';
import { seedTowns } from './towns';

export const SEED_DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

/** "Paris 1er", "Paris 11e". */
export function arrondissementLabel(n: number): string {
  return `Paris ${n}${n === 1 ? 'er' : 'e'}`;
}

function areaCode(n: number): string {
  return `paris-${String(n).padStart(2, '0')}`;
}

/**
 * Seeds the reference city: the category tree, the 20 arrondissements as service areas,
 * teams per arrondissement and domain plus city-wide teams, the routing rules and the Open311 category attributes.
 * Idempotent: existing rows (matched by code) are left as they are.
 */
export async function seedCity(pool: Pool): Promise<void> {
  const areas = JSON.parse(
    await readFile(path.join(SEED_DATA_DIR, 'paris-arrondissements.geojson'), 'utf8'),
  ) as FeatureCollection<MultiPolygon, { name: string }>;

  // First: Paris's teams, areas and rules name their town.
  await seedTowns(pool);
  await withTransaction(pool, async (tx) => {
    for (const [gi, group] of CATEGORY_TREE.entries()) {
      await tx.query(
        `INSERT INTO category_groups (code, label_fr, label_en, position) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO NOTHING`,
        [group.code, group.fr, group.en, gi],
      );
      for (const [ci, c] of group.categories.entries()) {
        await tx.query(
          `INSERT INTO categories (group_id, code, label_fr, label_en, synonyms, deadline_hours, default_priority, is_sensitive, position, deadline_mode)
           SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM category_groups WHERE code = $1
           ON CONFLICT (code) DO NOTHING`,
          [
            group.code,
            c.code,
            c.fr,
            c.en,
            c.synonyms ?? [],
            c.deadlineHours,
            c.priority,
            c.isSensitive ?? false,
            ci,
            c.deadlineMode ?? (c.priority === 1 ? 'calendar' : 'working'),
          ],
        );
      }
    }

    for (const [categoryCode, attributes] of Object.entries(CATEGORY_ATTRIBUTES)) {
      for (const [position, a] of attributes.entries()) {
        await tx.query(
          `INSERT INTO category_attributes
             (category_id, code, datatype, is_required, position, description, datatype_description, "values")
           SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM categories WHERE code = $1
           ON CONFLICT (category_id, code) DO NOTHING`,
          [
            categoryCode,
            a.code,
            a.datatype,
            a.required,
            position + 1,
            a.description,
            a.datatypeDescription ?? null,
            JSON.stringify(a.values ?? []),
          ],
        );
      }
    }

    for (const feature of areas.features) {
      const n = ARRONDISSEMENT_NUMBER[feature.properties.name];
      if (!n) throw new Error(`unknown arrondissement ${feature.properties.name}`);
      await tx.query(
        `INSERT INTO service_areas (code, name, geom)
         VALUES ($1, $2, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)), 3)))
         ON CONFLICT (code) DO NOTHING`,
        [areaCode(n), `${arrondissementLabel(n)} — ${feature.properties.name}`, JSON.stringify(feature.geometry)],
      );
      for (const d of PER_AREA_DOMAINS) {
        await upsertTeam(tx, `${d.domain}-${String(n).padStart(2, '0')}`, `${d.fr} — ${arrondissementLabel(n)}`);
      }
    }
    for (const t of CITY_WIDE_TEAMS) await upsertTeam(tx, t.code, t.name);
    await upsertTeam(tx, FALLBACK_TEAM.code, FALLBACK_TEAM.name);

    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM routing_rules');
    if (rows[0]!.n > 0) return;
    // Rules by group × arrondissement first, then city-wide groups, then the fallback.
    for (const group of CATEGORY_TREE) {
      const cityWide = CITY_WIDE_TEAMS.find((t) => t.domain === group.domain);
      if (cityWide) {
        await tx.query(
          `INSERT INTO routing_rules (position, category_group_id, team_id, description)
           SELECT 200, g.id, t.id, $3 FROM category_groups g, teams t WHERE g.code = $1 AND t.code = $2`,
          [group.code, cityWide.code, `${group.fr} → ${cityWide.name}`],
        );
        continue;
      }
      await tx.query(
        `INSERT INTO routing_rules (position, category_group_id, area_id, team_id, description)
         SELECT 100, g.id, a.id, t.id, $1 || ' × ' || a.name || ' → ' || t.name
           FROM category_groups g
           JOIN service_areas a ON a.code LIKE 'paris-%'
           JOIN teams t ON t.code = $2 || '-' || substr(a.code, 7)
          WHERE g.code = $3`,
        [group.fr, group.domain, group.code],
      );
    }
    await tx.query(
      `INSERT INTO routing_rules (position, team_id, description)
       SELECT 10000, id, 'Fallback: everything else → ' || name FROM teams WHERE code = $1`,
      [FALLBACK_TEAM.code],
    );
  });
  await seedOnCallRules(pool);
  await assignParisRowsToParis(pool);
}

/**
 * Every team, area and rule of the reference city belongs to Paris, and Paris offers the whole
 * catalogue. Set here by name rather than left to migration 028's backfill, which only covers a
 * database that existed before it; a town-less row that is not Paris's (a body's) is left alone.
 */
async function assignParisRowsToParis(pool: Pool): Promise<void> {
  const teamCodes = [
    ...Object.values(ARRONDISSEMENT_NUMBER).flatMap((n) =>
      PER_AREA_DOMAINS.map((d) => `${d.domain}-${String(n).padStart(2, '0')}`),
    ),
    ...CITY_WIDE_TEAMS.map((t) => t.code),
    FALLBACK_TEAM.code,
    ON_CALL.team.code,
  ];
  await withTransaction(pool, async (tx) => {
    await tx.query('UPDATE teams SET town_code = $1 WHERE town_code IS NULL AND code = ANY ($2)', [
      PARIS_TOWN_CODE,
      teamCodes,
    ]);
    await tx.query("UPDATE service_areas SET town_code = $1 WHERE town_code IS NULL AND code LIKE 'paris-%'", [
      PARIS_TOWN_CODE,
    ]);
    await tx.query(
      `UPDATE routing_rules rr SET town_code = $1
         FROM teams t WHERE t.id = rr.team_id AND rr.town_code IS NULL AND t.code = ANY ($2)`,
      [PARIS_TOWN_CODE, teamCodes],
    );
    await tx.query(
      `INSERT INTO town_categories (town_code, category_id)
       SELECT $1, id FROM categories WHERE code = ANY ($2) ON CONFLICT DO NOTHING`,
      [PARIS_TOWN_CODE, CATEGORY_TREE.flatMap((g) => g.categories.map((c) => c.code))],
    );
  });
}

/** The demo on-call team: urgent road hazards at night and at week-ends. */
export const ON_CALL = {
  team: { code: 'astreinte-voirie', name: 'Astreinte voirie', service: 'voirie' },
  categories: ['nid-de-poule', 'regard-descelle'],
} as const;

/**
 * Seeds the on-call rules (nights 20:00–07:00, and all week-end) ahead of the road rules, INACTIVE:
 * reports filed during the test suite follow the wall clock, so active rules would make daytime
 * routing depend on when the tests run. An admin switches them on with PATCH /api/admin/rules/:id.
 * Idempotent: skipped once the team has rules.
 */
async function seedOnCallRules(pool: Pool): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query('INSERT INTO teams (code, name, service) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING', [
      ON_CALL.team.code,
      ON_CALL.team.name,
      ON_CALL.team.service,
    ]);
    await tx.query(
      `INSERT INTO routing_rules (position, category_id, team_id, days, time_from, time_to, is_active, description)
       SELECT 50, c.id, t.id, w.days, w.time_from, w.time_to, false, c.label_fr || ' — ' || w.label || ' → ' || t.name
         FROM categories c
         JOIN teams t ON t.code = $1
         CROSS JOIN (VALUES (NULL::smallint[], time '20:00', time '07:00', 'nuits 20 h–7 h'),
                            ('{6,7}'::smallint[], NULL::time, NULL::time, 'week-end')) AS w(days, time_from, time_to, label)
        WHERE c.code = ANY ($2)
          AND NOT EXISTS (SELECT 1 FROM routing_rules WHERE team_id = t.id)
        ORDER BY c.position, w.days NULLS FIRST`,
      [ON_CALL.team.code, ON_CALL.categories],
    );
  });
}

async function upsertTeam(tx: PoolClient, code: string, name: string): Promise<void> {
  await tx.query('INSERT INTO teams (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING', [code, name]);
}
