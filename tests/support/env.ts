/**
 * The test suite's view of its environment (tests are an entry point like an app):
 * the template database that every test file clones, and Redis.
 */
export const TEST_ENV = {
  templateDatabaseUrl: process.env.TEST_DATABASE_URL ?? deriveTestUrl(process.env.DATABASE_URL),
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
};

function deriveTestUrl(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'postgres://pave:pave@127.0.0.1:5432/pave_test';
  const url = new URL(databaseUrl);
  url.pathname = `${url.pathname.replace(/^\//, '')}_test`;
  return url.toString();
}
