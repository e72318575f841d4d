import path from 'node:path';
import { importBanFile } from '@pave/core';
import type { AddressLabel, AddressSuggestion } from '@pave/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';

// The local address index through the API, over the hand-written file (tests/fixtures/addresses/README.md),
// which replaces the demo city's Paris addresses in this file's database.
const stack = useStack();
const ROQUETTE_12 = '12 Rue de la Roquette 75011 Paris';
const HOTEL_DE_VILLE = "Place de l'Hôtel de Ville 75004 Paris";
const BASTILLE = { lon: 2.369, lat: 48.853 };

beforeAll(async () => {
  await importBanFile(stack.pool, path.resolve('tests/fixtures/addresses/adresses-75-92.csv'));
});

async function search(q: string, near = BASTILLE): Promise<AddressSuggestion[]> {
  const response = await stack.app.inject({ url: '/api/geocode/search', query: { q, ...asQuery(near) } });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { results: AddressSuggestion[] }).results;
}

async function reverse(lon: number, lat: number) {
  return stack.app.inject({ url: '/api/geocode/reverse', query: asQuery({ lon, lat }) });
}

function asQuery(point: { lon: number; lat: number }) {
  return { lon: String(point.lon), lat: String(point.lat) };
}

describe('address search', () => {
  it.each([
    '12 rue de la roq',
    'rue roquette 12',
    '12 r. de la Roquette 75011',
    '12 RUE DE LA ROQUETTE',
    '12, rue de la Roquette, Paris',
    'roquette 12 rue',
  ])('"%s" gives 12 Rue de la Roquette first', async (q) => {
    const [first] = await search(q);
    expect(first).toEqual({
      label: ROQUETTE_12,
      lon: 2.372,
      lat: 48.8543,
      kind: 'address',
      id: '75111_8366_00012',
      score: expect.any(Number),
    });
    expect(first!.score).toBeGreaterThan(0.5);
  });

  it.each(['place hotel de ville', "Place de l'Hôtel de Ville", 'PL. HÔTEL DE VILLE', "pl de l'hotel de ville paris"])(
    '"%s" gives the Place de l\'Hôtel de Ville first, before the Esplanade, the Quai and the Rue',
    async (q) => {
      const results = await search(q);
      expect(results[0]).toMatchObject({ label: HOTEL_DE_VILLE, kind: 'street', id: null, lon: 2.3514, lat: 48.8566 });
      expect(results.map((r) => r.label)).not.toContain("Quai de l'Hôtel de Ville 75004 Paris");
    },
  );

  it('writes out abbreviations (r., bd, av., pl.) and ignores accents and case', async () => {
    expect((await search('12 bd st germain'))[0]).toMatchObject({ label: '12 Boulevard Saint-Germain 75005 Paris' });
    expect((await search('10 av. de clichy'))[0]).toMatchObject({ label: '10 Avenue de Clichy 75017 Paris' });
    expect((await search('3 r roquepine'))[0]).toMatchObject({ label: '3 Rue Roquépine 75008 Paris' });
    expect((await search('3 RUE ROQUÉPINE'))[0]).toMatchObject({ label: '3 Rue Roquépine 75008 Paris' });
    expect((await search('8 bd jean-jaures'))[0]).toMatchObject({ label: '8 Boulevard Jean Jaurès 92110 Clichy' });
  });

  it('matches the town when it is typed, with a full score, and tells Paris from Clichy by it', async () => {
    for (const q of ['12 rue de la roquette paris', '12 Rue de la Roquette 75011 Paris']) {
      expect((await search(q))[0], q).toMatchObject({ label: ROQUETTE_12, kind: 'address', score: 1 });
    }
    expect((await search('8 bd jean jaures clichy'))[0]).toMatchObject({
      label: '8 Boulevard Jean Jaurès 92110 Clichy',
    });
  });

  it('gives the street (kind street) for a street without a number, and the bis only when typed', async () => {
    expect((await search('rue de la roquette'))[0]).toMatchObject({
      label: 'Rue de la Roquette 75011 Paris',
      kind: 'street',
      id: null,
    });
    expect((await search('12 bis rue de la roquette'))[0]).toMatchObject({ id: '75111_8366_00012_bis' });
    expect((await search('12bis rue de la roquette'))[0]).toMatchObject({ id: '75111_8366_00012_bis' });
  });

  it('ranks with scores from 0 to 1, best first; a number not on a street scores less', async () => {
    const results = await search('12 rue de la roq');
    expect(results.length).toBeGreaterThan(1);
    const scores = results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((score) => score >= 0 && score <= 1)).toBe(true);
    // Rue Roquépine has no number 12: its street comes after the address.
    const roquepine = results.find((r) => r.label.includes('Roquépine'));
    expect(roquepine).toMatchObject({ kind: 'street' });
    expect(roquepine!.score).toBeLessThan(results[0]!.score);
  });

  it('breaks ties by the distance to the map centre: the same street name in two postcodes', async () => {
    const nearParis = await search('rue de la paix', { lon: 2.3316, lat: 48.8688 });
    const nearClichy = await search('rue de la paix', { lon: 2.3055, lat: 48.9035 });
    expect(nearParis.map((r) => r.label).slice(0, 2)).toEqual([
      'Rue de la Paix 75002 Paris',
      'Rue de la Paix 92110 Clichy',
    ]);
    expect(nearClichy.map((r) => r.label).slice(0, 2)).toEqual([
      'Rue de la Paix 92110 Clichy',
      'Rue de la Paix 75002 Paris',
    ]);
    expect(nearParis[0]!.score).toBe(nearParis[1]!.score);
    // A postcode settles it wherever the map is.
    expect((await search('1 rue de la paix 92110', { lon: 2.3316, lat: 48.8688 }))[0]).toMatchObject({
      label: '1 Rue de la Paix 92110 Clichy',
    });
    // Without a point, the map's configured centre (Paris) ranks.
    const response = await stack.app.inject({ url: '/api/geocode/search', query: { q: 'rue de la paix' } });
    expect(response.json().results[0]).toMatchObject({ label: 'Rue de la Paix 75002 Paris' });
  });

  it('finds a street despite a typo (trigram similarity when no word prefix matches)', async () => {
    expect((await search('rue de la roquete'))[0]).toMatchObject({ label: 'Rue de la Roquette 75011 Paris' });
    expect((await search('12 rue de la rocquette'))[0]).toMatchObject({ label: ROQUETTE_12 });
  });

  it('answers an empty list, not an error, for a well-formed query that matches nothing', async () => {
    expect(await search('avenue des zygomatiques')).toEqual([]);
    expect(await search('de la')).toEqual([]);
  });
});

describe('reverse lookup', () => {
  it('a point on an address gives the address, with the metres to it', async () => {
    const response = await reverse(2.372, 48.8543);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ label: ROQUETTE_12, kind: 'address', id: '75111_8366_00012', metres: 0 });
    const near = (await reverse(2.3721, 48.8546)).json() as AddressLabel;
    expect(near).toMatchObject({ kind: 'address' });
    expect(near.metres).toBeLessThanOrEqual(50);
  });

  it('a point about 100 m from the nearest address gives its street', async () => {
    // 100 m north of 12 Rue de la Roquette; 14 is the nearest, at about 92 m.
    const found = (await reverse(2.372, 48.8552)).json() as AddressLabel;
    expect(found).toMatchObject({ kind: 'street', label: 'Rue de la Roquette 75011 Paris', id: null });
    expect(found.metres).toBeGreaterThan(50);
    expect(found.metres).toBeLessThanOrEqual(200);
  });

  it('a point in Paris far from every address gives its arrondissement', async () => {
    const response = await reverse(2.292, 48.842);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ label: 'Paris 15e — Vaugirard', kind: 'area', id: null, metres: null });
  });

  it.each([
    ['Lyon', 4.83, 45.76],
    ['0,0', 0, 0],
  ])('a point far outside the city (%s) is 404 ADDRESS_NOT_FOUND', async (_name, lon, lat) => {
    const response = await reverse(lon, lat);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'ADDRESS_NOT_FOUND', message: expect.any(String) });
  });
});

describe('bad input: a clear 4xx with { code, message }, never a 500', () => {
  it.each([
    ['no q', '/api/geocode/search', 'VALIDATION_FAILED'],
    ['q empty', '/api/geocode/search?q=', 'VALIDATION_FAILED'],
    ['q of 5,000 characters', `/api/geocode/search?q=${'rue '.repeat(1250)}`, 'VALIDATION_FAILED'],
    ['q only punctuation', `/api/geocode/search?q=${encodeURIComponent("',.-;!?")}`, 'VALIDATION_FAILED'],
    ['q with NUL', '/api/geocode/search?q=12%00rue%20de%20la%20roquette', 'VALIDATION_FAILED'],
    ['q of NULs', '/api/geocode/search?q=%00%00%00', 'VALIDATION_FAILED'],
    ['lon garbage', '/api/geocode/search?q=roquette&lon=abc&lat=48.85', 'LOCATION_INVALID'],
    ['lat without lon', '/api/geocode/search?q=roquette&lat=48.85', 'LOCATION_INVALID'],
    ['lon out of range', '/api/geocode/search?q=roquette&lon=200&lat=48.85', 'LOCATION_INVALID'],
    ['lon Infinity', '/api/geocode/search?q=roquette&lon=Infinity&lat=48.85', 'LOCATION_INVALID'],
    ['lon 1e309', '/api/geocode/search?q=roquette&lon=1e309&lat=48.85', 'LOCATION_INVALID'],
    ['lon NaN', '/api/geocode/search?q=roquette&lon=NaN&lat=48.85', 'LOCATION_INVALID'],
    ['reverse without lat', '/api/geocode/reverse?lon=2.37', 'VALIDATION_FAILED'],
    ['reverse lat garbage', '/api/geocode/reverse?lat=48.85abc&lon=2.37', 'LOCATION_INVALID'],
    ['reverse lat out of range', '/api/geocode/reverse?lat=91&lon=2.37', 'LOCATION_INVALID'],
    ['reverse empty values', '/api/geocode/reverse?lat=&lon=', 'LOCATION_INVALID'],
    ['reverse with NUL', '/api/geocode/reverse?lat=48.85%00&lon=2.37', 'VALIDATION_FAILED'],
    ['reverse lon of 5,000 characters', `/api/geocode/reverse?lat=48.85&lon=${'9'.repeat(5000)}`, 'VALIDATION_FAILED'],
  ])('%s', async (_name, url, code) => {
    const response = await stack.app.inject(url);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ code, message: expect.any(String) });
  });

  it('odd but well-formed text is searched, not refused: quotes, SQL, tsquery operators, emoji', async () => {
    for (const q of [
      "l'hôtel & | ! :* <-> ()",
      "12'; DROP TABLE addresses; --",
      'rue 🚲 roquette',
      'ab\\c',
      '99999 rue',
    ]) {
      const response = await stack.app.inject({ url: '/api/geocode/search', query: { q } });
      expect(response.statusCode, `${q}: ${response.body}`).toBe(200);
    }
  });
});
