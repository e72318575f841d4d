import { createApiKey } from '@pave/core';
import { seedDemoTowns } from '@pave/core/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileReport } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { OPEN311_BASE, postRequest } from '../support/open311-app';
import { parseOpen311Xml } from '../support/open311-client';
import { specErrors } from '../support/open311-schemas';
import { useStack } from '../support/stack';

// Open311 per jurisdiction (issue #19): jurisdiction_id is a served town's INSEE code.
const stack = useStack();
const MONTREUIL = { lon: 2.4485, lat: 48.8638 };
let apiKey: string;

beforeAll(async () => {
  await seedDemoTowns(stack.pool);
  apiKey = (await createApiKey(stack.pool, 'town client')).key;
});

const get = (path: string) => stack.app.inject({ url: `${OPEN311_BASE}/${path}` });
const pothole = (at: { lon: number; lat: number }, jurisdiction?: string): [string, string][] => [
  ['api_key', apiKey],
  ['service_code', 'nid-de-poule'],
  ['lat', String(at.lat)],
  ['long', String(at.lon)],
  ['attribute[emplacement]', 'chaussee'],
  ...(jurisdiction ? ([['jurisdiction_id', jurisdiction]] as [string, string][]) : []),
];

describe('Open311 per jurisdiction', () => {
  it('lists the served towns as jurisdictions in discovery (JSON and XML)', async () => {
    const answer = await get('discovery.json');
    expect(answer.statusCode).toBe(200);
    expect(specErrors('discovery', answer.json())).toEqual([]);
    const jurisdictions = answer.json().jurisdictions as { jurisdiction_id: string; name: string }[];
    expect(jurisdictions.map((j) => j.jurisdiction_id).sort()).toEqual(['75056', '92012', '93048', '94067', '94080']);
    expect(jurisdictions).toContainEqual({ jurisdiction_id: '93048', name: 'Montreuil' });
    const xml = await get('discovery.xml');
    expect(xml.statusCode).toBe(200);
    expect(xml.body).toContain(
      '<jurisdiction><jurisdiction_id>93048</jurisdiction_id><name>Montreuil</name></jurisdiction>',
    );
    expect(parseOpen311Xml(xml.body)).toBeTruthy();
  });

  it("lists a town's services in its own words; without jurisdiction_id, the whole catalogue as before", async () => {
    const montreuil = await get('services.json?jurisdiction_id=93048');
    expect(montreuil.statusCode).toBe(200);
    expect(specErrors('services', montreuil.json())).toEqual([]);
    const services = montreuil.json() as { service_code: string; service_name: string }[];
    const codes = services.map((s) => s.service_code);
    expect(codes).toContain('nid-de-poule');
    expect(codes).toContain('lampadaire-eteint'); // the metropolitan body handles it there
    expect(codes).not.toContain('fuite-eau');
    expect(services.find((s) => s.service_code === 'encombrant')!.service_name).toBe('Encombrant sur le trottoir');
    const all = (await get('services.json')).json() as unknown[];
    expect(all).toHaveLength(29);
    expect(services.length).toBeLessThan(all.length);
    expect((await get('services/fuite-eau.json?jurisdiction_id=93048')).statusCode).toBe(404);
    expect((await get('services/nid-de-poule.json?jurisdiction_id=93048')).statusCode).toBe(200);
  });

  it.each([
    ['an unknown INSEE code', '99999'],
    ['a known town that is not served (Créteil)', '94028'],
    ['another city', 'lyon.fr'],
  ])('answers 404 for %s, on every endpoint', async (_label, jurisdiction) => {
    for (const path of ['services.json', 'requests.json', 'servicerequestupdates.json', 'services/nid-de-poule.json']) {
      const answer = await get(`${path}?jurisdiction_id=${jurisdiction}`);
      expect(answer.statusCode, path).toBe(404);
      expect(specErrors('errors', answer.json())).toEqual([]);
    }
    const post = await postRequest(stack.app, pothole(MONTREUIL, jurisdiction));
    expect(post.statusCode).toBe(404);
  });

  it('files a POST in the town it names, and refuses with 400 a position outside it, writing nothing', async () => {
    const filed = await postRequest(stack.app, pothole(MONTREUIL, '93048'));
    expect(filed.statusCode).toBe(200);
    const id = filed.json()[0].service_request_id as string;
    const { rows } = await stack.pool.query('SELECT town_code FROM reports WHERE id = $1', [id]);
    expect(rows[0].town_code).toBe('93048');

    const before = (await stack.pool.query('SELECT count(*)::int AS n FROM reports')).rows[0].n;
    const outside = await postRequest(stack.app, pothole(POINT_PARIS_11, '93048'));
    expect(outside.statusCode).toBe(400);
    expect(specErrors('errors', outside.json())).toEqual([]);
    expect(outside.json()[0].description).toMatch(/lies in Paris \(75056\), not in Montreuil/);
    const xml = await postRequest(stack.app, pothole(POINT_PARIS_11, '93048'), 'xml');
    expect(xml.statusCode).toBe(400);
    // A category the town does not offer: 400 too, as any refused field.
    const water = await postRequest(stack.app, [
      ...pothole(MONTREUIL, '93048').filter(([k]) => k !== 'service_code' && !k.startsWith('attribute')),
      ['service_code', 'fuite-eau'],
    ]);
    expect(water.statusCode).toBe(400);
    expect((await stack.pool.query('SELECT count(*)::int AS n FROM reports')).rows[0].n).toBe(before);
    // Without a jurisdiction, as before towns: filed wherever a town takes it.
    expect((await postRequest(stack.app, pothole(POINT_PARIS_11))).statusCode).toBe(200);
  });

  it("lists a jurisdiction's requests only, each with its town in the extensions", async () => {
    const paris = await fileReport(stack.deps, { category: 'nid-de-poule' });
    const montreuil = await fileReport(stack.deps, { category: 'nid-de-poule', point: MONTREUIL });
    const inMontreuil = (await get('requests.json?jurisdiction_id=93048&extensions=true')).json() as {
      service_request_id: string;
      extended_attributes: { town: { code: string; name: string } };
    }[];
    const ids = inMontreuil.map((r) => r.service_request_id);
    expect(ids).toContain(montreuil.id);
    expect(ids).not.toContain(paris.id);
    expect(inMontreuil.every((r) => r.extended_attributes.town.code === '93048')).toBe(true);
    // By id, a request of another jurisdiction is not found there.
    expect((await get(`requests/${paris.id}.json?jurisdiction_id=93048`)).statusCode).toBe(404);
    const everywhere = (await get('requests.json?extensions=true')).json() as typeof inMontreuil;
    expect(everywhere.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([paris.id, montreuil.id]));
    expect(everywhere.find((r) => r.service_request_id === paris.id)!.extended_attributes.town).toEqual({
      code: '75056',
      name: 'Paris',
    });
    expect(specErrors('serviceRequestsExtended', everywhere)).toEqual([]);
  });
});
