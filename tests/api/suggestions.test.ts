import { CategorySuggestionsSchema } from '@pave/shared';
import { Value } from 'typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileReport } from '../support/factories';
import { useStack } from '../support/stack';

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

async function suggest(query: string) {
  const response = await stack.app.inject(`/api/categories/suggestions?${query}`);
  return { status: response.statusCode, body: response.json() };
}

const codes = (body: { suggestions: { code: string }[] }) => body.suggestions.map((s) => s.code);

describe('GET /api/categories/suggestions', () => {
  it('suggests from words residents used before, even when no synonym has them', async () => {
    const { status, body } = await suggest(`q=${encodeURIComponent('Des CANETTES partout !')}`);
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
    const { body } = await suggest(`q=${encodeURIComponent('gros trous dans la chaussee')}`);
    expect(codes(body)[0]).toBe('nid-de-poule');
    const { body: lamp } = await suggest(`q=${encodeURIComponent('Le réverbère ne marche plus')}`);
    expect(codes(lamp)).toContain('lampadaire-eteint');
  });

  it('suggests from what is reported nearby when there are no words yet', async () => {
    const bins = await suggest(`lon=${BINS_CORNER.lon}&lat=${BINS_CORNER.lat}`);
    expect(bins.status).toBe(200);
    expect(codes(bins.body)[0]).toBe('corbeille-pleine');
    const tags = await suggest(`lon=${TAGS_CORNER.lon}&lat=${TAGS_CORNER.lat}&q=`);
    expect(codes(tags.body)[0]).toBe('tag-facade');
    // Words outweigh a neighbourhood's habits.
    const words = await suggest(`lon=${TAGS_CORNER.lon}&lat=${TAGS_CORNER.lat}&q=${encodeURIComponent('canettes')}`);
    expect(codes(words.body)[0]).toBe('corbeille-pleine');
  });

  it('refuses empty, oversized and badly placed questions with a 400 and a code', async () => {
    const cases: [string, string][] = [
      ['', 'VALIDATION_FAILED'],
      ['q=', 'VALIDATION_FAILED'],
      [`q=${encodeURIComponent('   ')}`, 'VALIDATION_FAILED'],
      [`q=${'a'.repeat(5000)}`, 'VALIDATION_FAILED'],
      [`q=${encodeURIComponent('trou\u0000')}`, 'VALIDATION_FAILED'],
      ['lon=2.35&lat=999', 'LOCATION_INVALID'],
      ['lon=abc&lat=48.85', 'LOCATION_INVALID'],
      ['lon=2.35', 'LOCATION_INVALID'],
      ['lon=Infinity&lat=48.85&q=trou', 'LOCATION_INVALID'],
    ];
    for (const [query, code] of cases) {
      const { status, body } = await suggest(query);
      expect({ query: query.slice(0, 30), status, code: body.code }).toEqual({
        query: query.slice(0, 30),
        status: 400,
        code,
      });
      expect(typeof body.message).toBe('string');
    }
  });

  it('limits how often one address may ask', async () => {
    const app = await stack.buildApp();
    let last = 0;
    for (let i = 0; i < 125 && last !== 429; i++) {
      last = (await app.inject(`/api/categories/suggestions?q=trou`)).statusCode;
    }
    expect(last).toBe(429);
    const refused = await app.inject(`/api/categories/suggestions?q=trou`);
    expect(refused.json().code).toBe('RATE_LIMITED');
  });
});
