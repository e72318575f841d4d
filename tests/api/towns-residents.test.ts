import { seedDemoTowns } from '@pave/core/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { multipart, POINT_PARIS_11, reportFormFields } from '../support/multipart';
import { useStack } from '../support/stack';

// Towns for residents (issue #19): the town comes from the pin, and with it the categories offered.
const stack = useStack();
const MONTREUIL = { lon: 2.4485, lat: 48.8638 };
const BOULOGNE = { lon: 2.2399, lat: 48.8352 };
// Créteil is a known commune of the inner ring that the demo does not serve; Lyon is known to no one.
const CRETEIL = { lon: 2.4553, lat: 48.7904 };
const LYON = { lon: 4.8357, lat: 45.764 };

beforeAll(async () => {
  await seedDemoTowns(stack.pool);
});

type Tree = {
  groups: { code: string; categories: { code: string; label: { fr: string }; handledBy?: string }[] }[];
  town?: { code: string; name: string };
};
const categoriesAt = async (query: string) => stack.app.inject({ url: `/api/categories${query}` });
const codesOf = (tree: Tree) => tree.groups.flatMap((g) => g.categories.map((c) => c.code));
const postReport = async (fields: Record<string, string>) =>
  stack.app.inject({ method: 'POST', url: '/api/reports', ...(await multipart(fields)) });

describe('categories for a pin', () => {
  it('answers the whole catalogue without a place, as before towns', async () => {
    const answer = await categoriesAt('');
    expect(answer.statusCode).toBe(200);
    const tree = answer.json() as Tree;
    expect(tree.town).toBeUndefined();
    expect(codesOf(tree)).toHaveLength(29);
  });

  it("gives Paris's whole offer in Paris, and Montreuil's offer in its own words with lighting from the metropolitan body", async () => {
    const paris = (await categoriesAt(`?lon=${POINT_PARIS_11.lon}&lat=${POINT_PARIS_11.lat}`)).json() as Tree;
    expect(paris.town).toEqual({ code: '75056', name: 'Paris' });
    expect(codesOf(paris)).toHaveLength(29);
    expect(paris.groups.flatMap((g) => g.categories).some((c) => c.handledBy)).toBe(false);

    const answer = await categoriesAt(`?lon=${MONTREUIL.lon}&lat=${MONTREUIL.lat}`);
    expect(answer.statusCode).toBe(200);
    const montreuil = answer.json() as Tree;
    expect(montreuil.town).toEqual({ code: '93048', name: 'Montreuil' });
    const groups = montreuil.groups.map((g) => g.code);
    expect(groups).toContain('voirie');
    expect(groups).not.toContain('eau');
    expect(groups).not.toContain('vehicules');
    const all = montreuil.groups.flatMap((g) => g.categories);
    expect(all.find((c) => c.code === 'encombrant')!.label.fr).toBe('Encombrant sur le trottoir');
    const lighting = montreuil.groups.find((g) => g.code === 'eclairage')!.categories;
    expect(lighting.map((c) => c.handledBy)).toEqual(lighting.map(() => 'Métropole du Grand Paris — Éclairage public'));
    // Boulogne-Billancourt runs its own lighting: no body there.
    const boulogne = (await categoriesAt(`?lon=${BOULOGNE.lon}&lat=${BOULOGNE.lat}`)).json() as Tree;
    expect(boulogne.groups.flatMap((g) => g.categories).some((c) => c.handledBy)).toBe(false);
    expect(codesOf(boulogne)).toContain('lampadaire-eteint');
  });

  it('gives a town’s offer by INSEE code', async () => {
    const tree = (await categoriesAt('?town=94080')).json() as Tree;
    expect(tree.town).toEqual({ code: '94080', name: 'Vincennes' });
    expect(codesOf(tree)).toContain('voiture-ventouse');
    expect(codesOf(tree)).not.toContain('fuite-eau');
  });

  it('refuses a point outside every town (422), an unknown town (404) and a half point (400)', async () => {
    const outside = await categoriesAt(`?lon=${LYON.lon}&lat=${LYON.lat}`);
    expect(outside.statusCode).toBe(422);
    expect(outside.json().code).toBe('LOCATION_OUTSIDE_TOWNS');
    expect(outside.json().message).toMatch(/Reports are taken in .*Montreuil.*Paris/);
    const unknown = await categoriesAt('?town=99999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('TOWN_NOT_FOUND');
    const half = await categoriesAt(`?lon=${MONTREUIL.lon}`);
    expect(half.statusCode).toBe(400);
    expect(half.json().code).toBe('LOCATION_INVALID');
    const malformed = await categoriesAt('?town=paris');
    expect(malformed.statusCode).toBe(400);
  });
});

describe('filing a report in a town', () => {
  it('files a report in Montreuil: its town is Montreuil', async () => {
    const answer = await postReport(reportFormFields({ category: 'encombrant' }, MONTREUIL));
    expect(answer.statusCode).toBe(201);
    const { rows } = await stack.pool.query('SELECT town_code FROM reports WHERE id = $1', [answer.json().id]);
    expect(rows[0].town_code).toBe('93048');
  });

  it('files lighting in Montreuil (the metropolitan body handles it there)', async () => {
    const answer = await postReport(reportFormFields({ category: 'lampadaire-eteint' }, MONTREUIL));
    expect(answer.statusCode).toBe(201);
  });

  it('refuses a category the town does not offer with 400 and the town’s list', async () => {
    const answer = await postReport(reportFormFields({ category: 'fuite-eau' }, MONTREUIL));
    expect(answer.statusCode).toBe(400);
    const body = answer.json() as { code: string; message: string; categories: { code: string; label: object }[] };
    expect(body.code).toBe('CATEGORY_NOT_OFFERED');
    expect(body.message).toContain('Montreuil');
    const offered = (await categoriesAt(`?lon=${MONTREUIL.lon}&lat=${MONTREUIL.lat}`)).json() as Tree;
    expect(body.categories.map((c) => c.code)).toEqual(codesOf(offered));
    expect(body.categories.find((c) => c.code === 'encombrant')!.label).toEqual({
      fr: 'Encombrant sur le trottoir',
      en: 'Bulky item on the pavement',
    });
    const { rows } = await stack.pool.query(
      "SELECT count(*)::int AS n FROM reports WHERE town_code = '93048' AND category_id = (SELECT id FROM categories WHERE code = 'fuite-eau')",
    );
    expect(rows[0].n).toBe(0);
  });

  it('refuses a pin outside every town (422 naming the towns served) and in a town that takes no reports', async () => {
    const outside = await postReport(reportFormFields({}, LYON));
    expect(outside.statusCode).toBe(422);
    expect(outside.json().code).toBe('LOCATION_OUTSIDE_TOWNS');
    expect(outside.json().message).toContain('Paris');
    const creteil = await postReport(reportFormFields({}, CRETEIL));
    expect(creteil.statusCode).toBe(422);
    expect(creteil.json().code).toBe('LOCATION_OUTSIDE_SERVICE_AREA');
    expect(creteil.json().message).toContain('Créteil');
  });

  it('uses the town’s duplicate radius when it sets one (Montreuil: 30 m for potholes)', async () => {
    const first = await postReport(reportFormFields({ category: 'nid-de-poule' }, MONTREUIL));
    expect(first.statusCode).toBe(201);
    const nearby = await stack.app.inject({
      url: `/api/reports/nearby?lon=${MONTREUIL.lon}&lat=${MONTREUIL.lat}&category=nid-de-poule`,
    });
    expect(nearby.statusCode).toBe(200);
    expect(nearby.json().radiusMeters).toBe(30);
  });
});
