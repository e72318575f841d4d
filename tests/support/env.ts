/**
 * The test suite's view of its environment (tests are an entry point like an app):
 * the template database that every test file clones, Redis, Chromium, the S3 server and the read replica.
 */
export const TEST_ENV = {
  templateDatabaseUrl: process.env.TEST_DATABASE_URL ?? deriveTestUrl(process.env.DATABASE_URL),
  /**
   * The streaming replica of `bootstrap.sh --with-replica` (DATABASE_REPLICA_URL when set, else
   * 127.0.0.1:5433): a physical copy of the whole primary, so each file's clone appears there too.
   */
  replicaServerUrl: process.env.DATABASE_REPLICA_URL || 'postgres://pave:pave@127.0.0.1:5433/postgres',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  /** The three nodes of `bootstrap.sh --with-redis-cluster`, for the files that ask for `redisCluster`. */
  redisClusterNodes: '127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003',
  chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  /** The S3 server of `bootstrap.sh --with-s3`: S3_ENDPOINT and its keys when set, else the local RADOS Gateway. */
  s3: process.env.S3_ENDPOINT
    ? {
        endpoint: process.env.S3_ENDPOINT,
        accessKeyId: process.env.S3_ACCESS_KEY_ID ?? '',
        secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? '',
      }
    : { endpoint: 'http://127.0.0.1:7480', accessKeyId: 'pave-test', secretAccessKey: 'pave-test-secret' },
};

function deriveTestUrl(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'postgres://pave:pave@127.0.0.1:5432/pave_test';
  const url = new URL(databaseUrl);
  url.pathname = `${url.pathname.replace(/^\//, '')}_test`;
  return url.toString();
}
