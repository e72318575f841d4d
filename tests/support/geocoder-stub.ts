import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { POINT_PARIS_11 } from './multipart';

export interface GeocoderStub {
  /** The GEOCODER_URL to give the app. */
  url: string;
  /** Request paths and queries received, in order. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A local server answering like the national address API (no internet here): one address for
 * `/search/`, another for `/reverse/`, whatever the query.
 */
export async function startGeocoderStub(): Promise<GeocoderStub> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const feature = (label: string, id: string, lon: number, lat: number) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { label, id, type: 'housenumber', score: 0.95 },
    });
    const features =
      url.pathname === '/search/'
        ? [feature('12 Rue de la Roquette 75011 Paris', '75111_8366_00012', 2.3729, 48.8541)]
        : [feature('1 Place de la Bastille 75011 Paris', '75111_0764_00001', 2.369, 48.853)];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ type: 'FeatureCollection', features }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The one address the browser tests' geocoder knows: in the 11th, on the test point. */
export const KNOWN_ADDRESS = {
  label: '80 Rue de la Roquette 75011 Paris',
  lon: POINT_PARIS_11.lon,
  lat: POINT_PARIS_11.lat,
};
/** An address in Montreuil (the kit's second town, `support/towns.ts`): found by a search for "jaur…". */
export const MONTREUIL_ADDRESS = { label: '1 Place Jean Jaurès 93100 Montreuil', lon: 2.4485, lat: 48.863 };
/** A query with this word makes that geocoder fail, as the real one does when it is down. */
export const BROKEN_QUERY = 'panne';

/**
 * A geocoder shaped like the national address API that knows `KNOWN_ADDRESS` (found by a search for
 * "roq…", and by a reverse look-up near its point) and `MONTREUIL_ADDRESS` (by a search for "jaur…"). Given to the API by `useStack({ geocoder: true })`.
 */
export async function startAddressGeocoder(): Promise<GeocoderStub> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(request.url ?? '');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const q = url.searchParams.get('q') ?? '';
    if (q.includes(BROKEN_QUERY)) {
      response.writeHead(502).end();
      return;
    }
    const address = /jaur/i.test(q) ? MONTREUIL_ADDRESS : KNOWN_ADDRESS;
    const feature = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [address.lon, address.lat] },
      properties: { label: address.label },
    };
    const isNear =
      Math.abs(Number(url.searchParams.get('lat')) - KNOWN_ADDRESS.lat) < 0.01 &&
      Math.abs(Number(url.searchParams.get('lon')) - KNOWN_ADDRESS.lon) < 0.01;
    const matches = url.pathname.startsWith('/reverse') ? isNear : /roq|jaur/i.test(q);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ type: 'FeatureCollection', features: matches ? [feature] : [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
