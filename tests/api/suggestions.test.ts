import { CategorySuggestionsSchema } from '@pave/shared';
import { Value } from 'typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileReport } from '../support/factories';
import { captureLogs } from '../support/log-capture';
import { useStack } from '../support/stack';
import { MONTREUIL, PARIS } from '../support/towns';

// Category suggestions learn from the file's own reports: filed before the first question, since the
// model is built once per database and serves for ten minutes.

const stack = useStack();
const BINS_CORNER = { lon: 2.3641, lat: 48.8675 };
const TAGS_CORNER = { lon: 2.3001, lat: 48.8402 };

beforeAll(async () => {
  for (const description of [
    'La corbeille déborde de canettes',
    'Canettes et bouteilles partout autour de la corbeille',
    'corbeille pleine, des canettes par terre',
  ]) {
    await fileReport(stack.deps, { category: 'corbeille-pleine', description, point: BINS_CORNER });
  }
  for (const description of ['Grand tag sur la porte', 'Tags sur le mur du square']) {
    await fileReport(stack.deps, { category: 'tag-facade', description, point: TAGS_CORNER });
  }
});

async function suggest(payload: Record<string, string>) {
  const response = await stack.app.inject({ method: 'POST', url: '/api/categories/suggestions', payload });
  return { status: response.statusCode, body: response.json() };
}

const codes = (body: { suggestions: { code: string }[] }) => body.suggestions.map((s) => s.code);

describe('POST /api/categories/suggestions', () => {
  it('suggests from words residents used before, even when no synonym has them', async () => {
    const { status, body } = await suggest({ q: 'Des CANETTES partout !' });
    expect(status).toBe(200);
    expect(Value.Check(CategorySuggestionsSchema, body)).toBe(true);
    expect(codes(body)[0]).toBe('corbeille-pleine');
    expect(body.suggestions[0]).toMatchObject({
      label: { fr: 'Corbeille de rue pleine', en: 'Overflowing street bin' },
      group: { code: 'proprete' },
    });
    // Three at most, best first, and only the category's public fields.
    expect(body.suggestions.length).toBeLessThanOrEqual(3);
    const scores = body.suggestions.map((s: { score: number }) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(Object.keys(body.suggestions[0]).sort()).toEqual(['code', 'group', 'label', 'score']);
  });

  it("suggests from a category's synonyms, accents and plurals aside", async () => {
    const { body } = await suggest({ q: 'gros trous dans la chaussee' });
    expect(codes(body)[0]).toBe('nid-de-poule');
    const { body: lamp } = await suggest({ q: 'Le réverbère ne marche plus' });
    expect(codes(lamp)).toContain('lampadaire-eteint');
  });

  it('suggests from what is reported nearby when there are no words yet', async () => {
    const bins = await suggest({ lon: String(BINS_CORNER.lon), lat: String(BINS_CORNER.lat) });
    expect(bins.status).toBe(200);
    expect(codes(bins.body)[0]).toBe('corbeille-pleine');
    const tags = await suggest({ lon: String(TAGS_CORNER.lon), lat: String(TAGS_CORNER.lat), q: '' });
    expect(codes(tags.body)[0]).toBe('tag-facade');
    // Words outweigh a neighbourhood's habits.
    const words = await suggest({ lon: String(TAGS_CORNER.lon), lat: String(TAGS_CORNER.lat), q: 'canettes' });
    expect(codes(words.body)[0]).toBe('corbeille-pleine');
  });

  it('refuses empty, oversized and badly placed questions with a 400 and a code', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'VALIDATION_FAILED'],
      [{ q: '' }, 'VALIDATION_FAILED'],
      [{ q: '   ' }, 'VALIDATION_FAILED'],
      [{ q: 'a'.repeat(5000) }, 'VALIDATION_FAILED'],
      [{ q: 'trou\u0000' }, 'VALIDATION_FAILED'],
      [{ lon: '2.35', lat: '999' }, 'LOCATION_INVALID'],
      [{ lon: 'abc', lat: '48.85' }, 'LOCATION_INVALID'],
      [{ lon: '2.35' }, 'LOCATION_INVALID'],
      [{ lon: 'Infinity', lat: '48.85', q: 'trou' }, 'LOCATION_INVALID'],
    ];
    for (const [payload, code] of cases) {
      const { status, body } = await suggest(payload);
      const what = JSON.stringify(payload).slice(0, 40);
      expect({ what, status, code: body.code }).toEqual({ what, status: 400, code });
      expect(typeof body.message).toBe('string');
    }
  });

  it('limits how often one address may ask', async () => {
    const app = await stack.buildApp();
    let last = 0;
    for (let i = 0; i < 125 && last !== 429; i++) {
      last = (await app.inject({ method: 'POST', url: '/api/categories/suggestions', payload: { q: 'trou' } }))
        .statusCode;
    }
    expect(last).toBe(429);
    const refused = await app.inject({ method: 'POST', url: '/api/categories/suggestions', payload: { q: 'trou' } });
    expect(refused.json().code).toBe('RATE_LIMITED');
  });
  it("keeps a draft description and the position out of the API's logs", async () => {
    const app = await stack.buildApp({ LOG_LEVEL: 'info' });
    const lines = captureLogs(app);
    const { statusCode } = await app.inject({
      method: 'POST',
      url: '/api/categories/suggestions',
      payload: { q: 'Madame Brindille au 3e étage', lon: '2.364123', lat: '48.867456' },
    });
    expect(statusCode).toBe(200);
    // The request was logged (so the check can fail), without what the resident typed or where.
    expect(lines.some((line) => line.includes('/api/categories/suggestions'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/Brindille|2\.364123|48\.867456/);
  });
});

describe('suggestions where a town offers fewer categories', () => {
  const at = (point: { lon: number; lat: number }) => ({ lon: String(point.lon), lat: String(point.lat) });

  beforeAll(async () => {
    // Montreuil takes reports, but offers no street bins (its bins are the metropolis's, and no body
    // takes them here), and calls potholes its own way.
    await stack.pool.query(`UPDATE towns SET is_served = true WHERE code = $1`, [MONTREUIL.code]);
    await stack.pool.query(
      `INSERT INTO town_categories (town_code, category_id, label_fr, label_en)
       SELECT $1, id, CASE code WHEN 'nid-de-poule' THEN 'Trou dans la voirie' END,
              CASE code WHEN 'nid-de-poule' THEN 'Hole in the road' END
         FROM categories WHERE code <> 'corbeille-pleine'`,
      [MONTREUIL.code],
    );
  });

  it('names only categories the town at the position offers, in its words', async () => {
    const paris = await suggest({ q: 'Des canettes partout', ...at(PARIS.point) });
    expect(codes(paris.body)[0]).toBe('corbeille-pleine');

    const montreuil = await suggest({ q: 'Des canettes partout', ...at(MONTREUIL.point) });
    expect(montreuil.status).toBe(200);
    expect(Value.Check(CategorySuggestionsSchema, montreuil.body)).toBe(true);
    expect(codes(montreuil.body)).not.toContain('corbeille-pleine');
    const offered = await stack.app.inject({
      url: `/api/categories?lon=${MONTREUIL.point.lon}&lat=${MONTREUIL.point.lat}`,
    });
    const offeredCodes = offered
      .json()
      .groups.flatMap((group: { categories: { code: string }[] }) => group.categories.map((c) => c.code));
    for (const code of codes(montreuil.body)) expect(offeredCodes).toContain(code);

    const hole = await suggest({ q: 'gros trous dans la chaussee', ...at(MONTREUIL.point) });
    expect(hole.body.suggestions[0]).toMatchObject({
      code: 'nid-de-poule',
      label: { fr: 'Trou dans la voirie', en: 'Hole in the road' },
    });
  });

  it('suggests nothing in a town that takes no reports, nor outside every town', async () => {
    // Vincennes is known, not served; the Atlantic is in no town.
    for (const point of [
      { lon: 2.4397, lat: 48.8473 },
      { lon: -4.5, lat: 46.5 },
    ]) {
      const { status, body } = await suggest({ q: 'gros trous dans la chaussee', ...at(point) });
      expect({ point, status, suggestions: body.suggestions }).toEqual({ point, status: 200, suggestions: [] });
    }
    // Without a position, the whole catalogue, as before.
    expect(codes((await suggest({ q: 'gros trous dans la chaussee' })).body)[0]).toBe('nid-de-poule');
  });
});
