import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useCluster } from '../support/cluster';
import { MONTREUIL } from '../support/towns';

// A town's own host name (towns.host) behind nginx, as `npm run start:cluster` runs it: nginx passes
// every path, `/` included, to the APIs with the client's Host header, so the API's redirect to the
// town's page (routes/towns.ts) works there as it does on a lone API. Issue #19.
const cluster = useCluster({ apis: 1 });

/** GET `path` through nginx with the Host header `host` (fetch sends the URL's own host). */
function getWithHost(path: string, host: string): Promise<{ status: number; location: string | undefined }> {
  const { hostname, port } = new URL(cluster.url);
  return new Promise((resolve, reject) => {
    const sent = request({ hostname, port, path, headers: { host } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('a town’s own host name behind nginx', () => {
  it('opens the town’s page at the site’s root, with or without a port, and leaves other hosts alone', async () => {
    // A served town: only those have a page to open.
    await cluster.pool.query(`UPDATE towns SET is_served = true, host = 'signaler.montreuil.example' WHERE code = $1`, [
      MONTREUIL.code,
    ]);
    for (const host of ['signaler.montreuil.example', 'SIGNALER.Montreuil.example:8443']) {
      expect(await getWithHost('/', host), host).toEqual({ status: 302, location: `/villes/${MONTREUIL.code}` });
    }
    // Only the root: the town's host serves the whole site (its page, the API) as any host does.
    expect((await getWithHost('/api/towns', 'signaler.montreuil.example')).status).toBe(200);
    expect((await getWithHost('/', 'pave.example')).status).not.toBe(302);
  });
});
