// `npm run apikey:revoke -- --id <client id>`: revokes an Open311 client's key at once.
import { parseArgs } from 'node:util';
import { Type } from 'typebox';
import { revokeApiKey } from '../api-keys/api-keys.service';
import { CommonEnv, parseEnv } from '../config/env';
import { createPool } from '../db/pool';

const env = parseEnv(Type.Object({ DATABASE_URL: CommonEnv.DATABASE_URL }), process.env);
const { values } = parseArgs({ options: { id: { type: 'string' } } });
const id = Number(values.id);
if (!Number.isInteger(id) || id <= 0) {
  console.error('usage: npm run apikey:revoke -- --id <client id>   (the id printed by apikey:create)');
  process.exit(2);
}
const pool = createPool({ connectionString: env.DATABASE_URL, max: 1, applicationName: 'pave-apikey' });
try {
  const revoked = await revokeApiKey(pool, id);
  console.log(revoked ? `api key of client ${id} revoked` : `no active key for client ${id}`);
  if (!revoked) process.exitCode = 1;
} finally {
  await pool.end();
}
