// `npm run apikey:create -- --name <client>`: creates an Open311 API key and prints it once.
import { parseArgs } from 'node:util';
import { Type } from 'typebox';
import { createApiKey } from '../api-keys/api-keys.service';
import { CommonEnv, parseEnv } from '../config/env';
import { createPool } from '../db/pool';

const env = parseEnv(Type.Object({ DATABASE_URL: CommonEnv.DATABASE_URL }), process.env);
const { values } = parseArgs({ options: { name: { type: 'string' } } });
if (!values.name?.trim()) {
  console.error('usage: npm run apikey:create -- --name <client>');
  process.exit(2);
}
const pool = createPool({ connectionString: env.DATABASE_URL, max: 1, applicationName: 'pave-apikey' });
try {
  const { client, key } = await createApiKey(pool, values.name);
  // Only the hash is stored: this is the one time the key can be read.
  console.log(`api key for "${client.name}" (client id ${client.id}):\n${key}`);
} catch (error) {
  console.error(`apikey:create failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
