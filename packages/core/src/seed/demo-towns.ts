import { withTransaction, type Pool, type PoolClient } from '../db/pool';
import { createStaffUser } from '../staff/auth.service';
import { CATEGORY_TREE } from './categories.data';

/** The reference city: every Paris team, area, rule and category belongs to it. */
export const PARIS_TOWN_CODE = '75056';

/** A neighbouring town of the demo: what it offers, its teams and its staff. */
export interface DemoTown {
  code: string;
  name: string;
  /** Category groups the town takes reports for; the others go to a town-less body, or are refused. */
  groups: string[];
  /** Its own words, deadline or duplicate radius for some categories of the shared catalogue. */
  overrides: Record<string, { fr?: string; en?: string; deadlineHours?: number; duplicateRadiusM?: number }>;
  mail: { fromName: string; from: string; signature: string };
  /** The colour of its page (#rrggbb). */
  brandColour: string;
  /** Display names of the demo crew (voirie), supervisor and councillor. */
  staff: { crew: string; supervisor: string; council: string };
}

/** Teams every demo town has, by domain; a group whose domain has no team here goes to the town's "tri". */
const TOWN_DOMAINS = [
  { domain: 'proprete', fr: 'Propreté', service: 'proprete' },
  { domain: 'voirie', fr: 'Voirie', service: 'voirie' },
  { domain: 'espaces-verts', fr: 'Espaces verts', service: 'espaces-verts' },
] as const;

/**
 * Four neighbours of Paris, each with its own offer. None of Montreuil, Vincennes and Saint-Mandé
 * runs its own street lighting: the metropolitan body below takes those reports (two-tier).
 */
export const DEMO_TOWNS: readonly DemoTown[] = [
  {
    code: '93048',
    brandColour: '#c8102e',
    name: 'Montreuil',
    groups: ['proprete', 'graffitis', 'objets-abandonnes', 'voirie', 'mobilier-urbain', 'arbres'],
    overrides: {
      encombrant: { fr: 'Encombrant sur le trottoir', en: 'Bulky item on the pavement', deadlineHours: 48 },
      'nid-de-poule': { deadlineHours: 24, duplicateRadiusM: 30 },
    },
    mail: {
      fromName: 'Ville de Montreuil — Signalements',
      from: 'signalements@montreuil.demo.pave',
      signature: 'Les services techniques de la Ville de Montreuil',
    },
    staff: { crew: 'Équipe Voirie Montreuil', supervisor: 'Sophie Marchand', council: 'Youssef Haddad' },
  },
  {
    code: '94080',
    brandColour: '#005a9c',
    name: 'Vincennes',
    groups: ['proprete', 'graffitis', 'voirie', 'arbres', 'vehicules'],
    overrides: { 'tag-facade': { fr: 'Tag sur un mur', en: 'Tag on a wall' } },
    mail: {
      fromName: 'Ville de Vincennes',
      from: 'proprete@vincennes.demo.pave',
      signature: 'La Direction des services techniques de Vincennes',
    },
    staff: { crew: 'Équipe Voirie Vincennes', supervisor: 'Marc Petit', council: 'Hélène Garnier' },
  },
  {
    code: '94067',
    brandColour: '#2e7d32',
    name: 'Saint-Mandé',
    groups: ['proprete', 'voirie', 'mobilier-urbain', 'arbres'],
    overrides: {},
    mail: {
      fromName: 'Mairie de Saint-Mandé',
      from: 'signalements@saint-mande.demo.pave',
      signature: 'Les services de la Mairie de Saint-Mandé',
    },
    staff: { crew: 'Équipe Voirie Saint-Mandé', supervisor: 'Lucie Fontaine', council: 'Olivier Roche' },
  },
  {
    code: '92012',
    brandColour: '#6a1b9a',
    name: 'Boulogne-Billancourt',
    groups: ['proprete', 'graffitis', 'objets-abandonnes', 'voirie', 'eclairage', 'mobilier-urbain', 'arbres', 'eau'],
    overrides: { 'fuite-eau': { deadlineHours: 12 } },
    mail: {
      fromName: 'Boulogne-Billancourt — Allô Mairie',
      from: 'allo-mairie@boulogne-billancourt.demo.pave',
      signature: 'Allô Mairie, Ville de Boulogne-Billancourt',
    },
    staff: { crew: 'Équipe Voirie Boulogne', supervisor: 'Nathalie Blanc', council: 'Thomas Girard' },
  },
];

/** A body serving several towns (no town of its own) for a group some towns do not run themselves. */
export const METROPOLITAN_BODY = {
  team: { code: 'mgp-eclairage', name: 'Métropole du Grand Paris — Éclairage public', service: 'eclairage' },
  group: 'eclairage',
  /**
   * After every town's own rules (100, 200) and before its fallback (10000): a town that runs its
   * own lighting (Paris, Boulogne-Billancourt) keeps those reports.
   */
  position: 5000,
} as const;

/** The demo town staff share this password (local demo only, like the other demo accounts). */
export const DEMO_TOWN_STAFF_PASSWORD = 'demo-ville-pave';

/** The demo accounts of the neighbouring towns: a crew, a supervisor and a councillor per town. */
export function demoTownStaff(): {
  email: string;
  displayName: string;
  role: 'crew' | 'supervisor' | 'council';
  teamCode?: string;
  service?: string;
  townCode: string;
}[] {
  return DEMO_TOWNS.flatMap((t) => {
    const slug = slugOf(t.name);
    return [
      {
        email: `equipe.voirie@${slug}.demo.pave`,
        displayName: t.staff.crew,
        role: 'crew' as const,
        teamCode: teamCode(t.code, 'voirie'),
        townCode: t.code,
      },
      {
        email: `chef.voirie@${slug}.demo.pave`,
        displayName: t.staff.supervisor,
        role: 'supervisor' as const,
        service: 'voirie',
        townCode: t.code,
      },
      { email: `elu@${slug}.demo.pave`, displayName: t.staff.council, role: 'council' as const, townCode: t.code },
    ];
  });
}

function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
}

/** "93048-voirie": town codes keep the teams of two towns apart. */
export function teamCode(townCode: string, domain: string): string {
  return `${townCode}-${domain}`;
}

/**
 * Seeds the demo's neighbouring towns (served, with their teams, boundary as service area, routing
 * rules, offer of categories, mail identity and staff) and the metropolitan lighting body. Needs
 * `seedCity` first. Idempotent: a town that already has teams is left as it is; so is the body.
 */
export async function seedDemoTowns(pool: Pool): Promise<void> {
  await withTransaction(pool, async (tx) => {
    for (const town of DEMO_TOWNS) {
      const { rows } = await tx.query('SELECT 1 FROM teams WHERE town_code = $1 LIMIT 1', [town.code]);
      if (rows.length > 0) continue;
      await seedTown(tx, town);
    }
    await seedMetropolitanBody(tx);
  });
  for (const account of demoTownStaff()) {
    const { rows } = await pool.query('SELECT 1 FROM staff_users WHERE email = $1', [account.email]);
    if (rows.length > 0) continue;
    const user = await createStaffUser(pool, { ...account, password: DEMO_TOWN_STAFF_PASSWORD });
    await pool.query('UPDATE staff_users SET town_code = $2 WHERE id = $1', [user.id, account.townCode]);
  }
}

async function seedTown(tx: PoolClient, town: DemoTown): Promise<void> {
  await tx.query(
    `UPDATE towns SET is_served = true, mail_from_name = $2, mail_from = $3, signature = $4, brand_colour = $5,
            updated_at = now()
      WHERE code = $1`,
    [town.code, town.mail.fromName, town.mail.from, town.mail.signature, town.brandColour],
  );
  // The whole commune is one service area: its boundary, as the town's outline says.
  await tx.query(
    `INSERT INTO service_areas (code, name, geom, town_code)
     SELECT 'town-' || code, name, geom, code FROM towns WHERE code = $1
     ON CONFLICT (code) DO NOTHING`,
    [town.code],
  );
  for (const d of TOWN_DOMAINS) {
    await tx.query(
      `INSERT INTO teams (code, name, service, town_code) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING`,
      [teamCode(town.code, d.domain), `${d.fr} — ${town.name}`, d.service, town.code],
    );
  }
  await tx.query(`INSERT INTO teams (code, name, town_code) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING`, [
    teamCode(town.code, 'tri'),
    `Services techniques — ${town.name}`,
    town.code,
  ]);
  for (const group of CATEGORY_TREE.filter((g) => town.groups.includes(g.code))) {
    const team = TOWN_DOMAINS.some((d) => d.domain === group.domain) ? group.domain : 'tri';
    await tx.query(
      `INSERT INTO routing_rules (position, category_group_id, team_id, town_code, description)
       SELECT 100, g.id, t.id, $3, $4 FROM category_groups g, teams t WHERE g.code = $1 AND t.code = $2`,
      [group.code, teamCode(town.code, team), town.code, `${group.fr} (${town.name}) → ${team}`],
    );
  }
  await tx.query(
    `INSERT INTO routing_rules (position, team_id, town_code, description)
     SELECT 10000, id, $2, 'Fallback: everything else → ' || name FROM teams WHERE code = $1`,
    [teamCode(town.code, 'tri'), town.code],
  );
  const overrides = Object.entries(town.overrides).map(([code, o]) => ({
    code,
    fr: o.fr ?? null,
    en: o.en ?? null,
    deadline_hours: o.deadlineHours ?? null,
    duplicate_radius_m: o.duplicateRadiusM ?? null,
  }));
  await tx.query(
    `INSERT INTO town_categories (town_code, category_id, label_fr, label_en, deadline_hours, duplicate_radius_m)
     SELECT $1, c.id, o.fr, o.en, o.deadline_hours, o.duplicate_radius_m
       FROM categories c JOIN category_groups g ON g.id = c.group_id
       LEFT JOIN jsonb_to_recordset($3::jsonb)
              AS o(code text, fr text, en text, deadline_hours int, duplicate_radius_m int) ON o.code = c.code
      WHERE g.code = ANY ($2)
     ON CONFLICT DO NOTHING`,
    [town.code, town.groups, JSON.stringify(overrides)],
  );
}

async function seedMetropolitanBody(tx: PoolClient): Promise<void> {
  const { team, group, position } = METROPOLITAN_BODY;
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO teams (code, name, service) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING RETURNING id`,
    [team.code, team.name, team.service],
  );
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO routing_rules (position, category_group_id, team_id, description)
     SELECT $3, g.id, $2, g.label_fr || ' (communes sans service propre) → ' || $4
       FROM category_groups g WHERE g.code = $1`,
    [group, rows[0]!.id, position, team.name],
  );
}
