import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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
    const feature = (label: string, lon: number, lat: number) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { label },
    });
    const features =
      url.pathname === '/search/'
        ? [feature('12 Rue de la Roquette 75011 Paris', 2.3729, 48.8541)]
        : [feature('1 Place de la Bastille 75011 Paris', 2.369, 48.853)];
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
