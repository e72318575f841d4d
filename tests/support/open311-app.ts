import { createApiKey } from '@pave/core';
import type { FastifyInstance } from 'fastify';
import type { TestDatabase } from './db';
import { formBody } from './open311-client';
import { POINT_PARIS_11 } from './multipart';
import { startStack } from './stack';

export const OPEN311_BASE = '/open311/v2';

export interface Open311TestContext {
  db: TestDatabase;
  app: FastifyInstance;
  apiKey: string;
  close(): Promise<void>;
}

/** A cloned database, the real app and one API client's key. */
export async function startOpen311App(env: Record<string, string> = {}): Promise<Open311TestContext> {
  const stack = await startStack({ env });
  const { key } = await createApiKey(stack.pool, 'test client');
  return { db: stack.db, app: stack.app, apiKey: key, close: stack.close };
}

/** Fields of a valid pothole request in the 11th arrondissement. */
export function validPothole(apiKey: string): [string, string][] {
  return [
    ['api_key', apiKey],
    ['service_code', 'nid-de-poule'],
    ['lat', String(POINT_PARIS_11.lat)],
    ['long', String(POINT_PARIS_11.lon)],
    ['attribute[emplacement]', 'chaussee'],
    ['description', 'Un trou profond devant le numéro 12'],
  ];
}

/** POSTs a request as a form and returns the injected response. */
export function postRequest(app: FastifyInstance, pairs: [string, string][], format: 'json' | 'xml' = 'json') {
  return app.inject({ method: 'POST', url: `${OPEN311_BASE}/requests.${format}`, ...formBody(pairs) });
}
