import { Type, type Static, type TObject } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Parses an environment against a schema: converts strings to the declared types,
 * fills defaults, and reports every problem in one error.
 */
export function parseEnv<S extends TObject>(schema: S, env: Record<string, string | undefined>): Static<S> {
  const picked: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    const value = env[key];
    // An empty variable means "unset", except for strings, where empty is a value (TILE_URL= disables tiles).
    const isString = (property as { type?: unknown }).type === 'string';
    if (value !== undefined && (value !== '' || isString)) picked[key] = value;
  }
  const converted = Value.Convert(schema, Value.Default(schema, picked));
  const errors = [...Value.Errors(schema, converted)];
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.instancePath.slice(1) || '(root)'}: ${e.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return converted as Static<S>;
}

/** The published development key of residents' private links: refused in production. */
export const DEVELOPMENT_TOKEN_SECRET = 'pave-development-secret-not-for-production';

// One `host:port` of REDIS_CLUSTER_NODES: a name, an IPv4 address or a bracketed IPv6 address.
const REDIS_NODE = '(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}';

/** Settings both the API and the worker need. */
export const CommonEnv = {
  NODE_ENV: Type.String({ default: 'development' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  /** Readable, coloured log lines (pino-pretty): `auto` when stdout is a terminal, never when piped. */
  LOG_PRETTY: Type.Enum(['auto', 'true', 'false'], { default: 'auto' }),
  DATABASE_URL: Type.String({ default: 'postgres://pave:pave@127.0.0.1:5432/pave' }),
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379' }),
  /**
   * Seed nodes of a Redis Cluster, comma-separated `host:port`; empty: REDIS_URL is one server. When set,
   * REDIS_URL gives only the user, password and TLS (`rediss://`) of every node (docs/deploy.md).
   */
  REDIS_CLUSTER_NODES: Type.String({ pattern: `^(${REDIS_NODE}(\\s*,\\s*${REDIS_NODE})*)?$`, default: '' }),
  /**
   * Prefix of every BullMQ key (and rate-limit counter): lets several environments (and tests) share one
   * Redis. Braces make it a hash tag, so a queue's keys share one Redis Cluster slot, as BullMQ's
   * multi-key scripts require; with REDIS_CLUSTER_NODES a prefix without one is refused.
   */
  QUEUE_PREFIX: Type.String({ minLength: 1, default: '{pave}' }),
  /** Where photos live: `local` (STORAGE_DIR) or `s3`, an S3-compatible bucket (docs/adr/0009). */
  STORAGE: Type.Union([Type.Literal('local'), Type.Literal('s3')], { default: 'local' }),
  STORAGE_DIR: Type.String({ default: './var/storage' }),
  S3_BUCKET: Type.String({ default: '' }),
  /** An S3-compatible server's URL; empty for AWS itself. */
  S3_ENDPOINT: Type.String({ default: '' }),
  S3_REGION: Type.String({ default: 'us-east-1' }),
  /** Both empty: the AWS SDK's own credential chain (environment, instance role). */
  S3_ACCESS_KEY_ID: Type.String({ default: '' }),
  S3_SECRET_ACCESS_KEY: Type.String({ default: '' }),
  /** `endpoint/bucket/key` URLs, which most self-hosted servers need. */
  S3_FORCE_PATH_STYLE: Type.Boolean({ default: false }),
  /**
   * Absolute URL serving the stored `public/` renditions (a CDN in front of the bucket), without a
   * trailing slash; empty: the API serves them at `/media/`.
   */
  MEDIA_PUBLIC_BASE_URL: Type.String({ pattern: '^(https?://[^/]+(/.*[^/])?)?$', default: '' }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 15_000 }),
  /**
   * Key of the HMACs that make residents' private links (tracking, follow, unsubscribe). Set a long
   * random value in production; changing it invalidates every link already sent.
   */
  TOKEN_SECRET: Type.String({ minLength: 16, default: DEVELOPMENT_TOKEN_SECRET }),
  /**
   * Port of this process's Prometheus metrics (`GET /metrics`), served apart from the public API; 0
   * (the default) serves none. Give the API and the worker different ports.
   */
  METRICS_PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: 0 }),
  /** Address the metrics port listens on: loopback by default, as the figures are for the operator. */
  METRICS_HOST: Type.String({ default: '127.0.0.1' }),
};

/**
 * Refuses, in production, what is only safe in a local demo: the published default TOKEN_SECRET (with
 * it anyone can forge a resident's private link) or one too short to resist guessing. The message
 * names the variable to set.
 */
export function refuseUnsafeProductionConfig(config: { NODE_ENV: string; TOKEN_SECRET: string }): void {
  if (config.NODE_ENV !== 'production') return;
  if (config.TOKEN_SECRET === DEVELOPMENT_TOKEN_SECRET || config.TOKEN_SECRET.length < 32) {
    throw new Error(
      'invalid configuration:\n  TOKEN_SECRET: NODE_ENV is production, so set TOKEN_SECRET to a random value of at ' +
        'least 32 characters (e.g. `openssl rand -base64 48`); the default is published.',
    );
  }
}

/**
 * The hash tag Redis Cluster hashes a key by: the text between its first `{` and the next `}`, when not
 * empty (redis.io, "Hash tags"); null when the whole key is hashed.
 */
export function hashTagOf(key: string): string | null {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : null;
}

/**
 * Refuses, on a Redis Cluster, a QUEUE_PREFIX without a hash tag: BullMQ's scripts touch several keys of a
 * queue at once, and the cluster answers CROSSSLOT when they hash to different slots. A prefix is not
 * rewritten behind the operator's back: the keys would no longer be the ones the configuration names.
 */
export function refuseQueuePrefixWithoutHashTag(config: { REDIS_CLUSTER_NODES: string; QUEUE_PREFIX: string }): void {
  if (!config.REDIS_CLUSTER_NODES || hashTagOf(config.QUEUE_PREFIX) !== null) return;
  throw new Error(
    `invalid configuration:\n  QUEUE_PREFIX: REDIS_CLUSTER_NODES is set, so the prefix needs a hash tag, e.g. ` +
      `{${config.QUEUE_PREFIX.replace(/[{}]/g, '') || 'pave'}} (braces included): a queue's keys must share one cluster slot.`,
  );
}

/**
 * Where the API listens, and the public address of the site. The worker reads them too: its mail links
 * must open the site the API serves, so both derive the same default from the same HOST and PORT.
 */
export const PublicUrlEnv = {
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  /**
   * Absolute base of links handed to other systems and people (mails, Open311 media_url, discovery),
   * without a trailing slash. Empty: the address the API listens on (see `resolvePublicBaseUrl`).
   */
  PUBLIC_BASE_URL: Type.String({ pattern: '^(https?://[^/]+(/.*[^/])?)?$', default: '' }),
};

/**
 * PUBLIC_BASE_URL, or when unset the address the API listens on (`http://HOST:PORT`, loopback for a
 * wildcard HOST): a demo on PORT=3999 then mails links to port 3999, not to the default 3000.
 */
export function resolvePublicBaseUrl(config: { HOST: string; PORT: number; PUBLIC_BASE_URL: string }): string {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}

/** Refuses a storage configuration that cannot work: `s3` without a bucket, or half a key pair. */
export function refuseIncompleteStorageConfig(config: {
  STORAGE: 'local' | 's3';
  S3_BUCKET: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
}): void {
  if (config.STORAGE !== 's3') return;
  const problems: string[] = [];
  if (!config.S3_BUCKET) problems.push('  S3_BUCKET: STORAGE is s3, so name the bucket');
  if (!config.S3_ACCESS_KEY_ID !== !config.S3_SECRET_ACCESS_KEY) {
    problems.push('  S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both, or neither (the SDK then finds credentials)');
  }
  if (problems.length > 0) throw new Error(`invalid configuration:\n${problems.join('\n')}`);
}

/**
 * What the API and the worker both check once their environment is parsed: safe production
 * settings, a complete storage configuration, a queue prefix that works on the configured Redis;
 * then PUBLIC_BASE_URL resolved (both must link to the same site). Mutates and returns `config`.
 */
export function settleServerConfig<
  C extends Parameters<typeof refuseUnsafeProductionConfig>[0] &
    Parameters<typeof refuseIncompleteStorageConfig>[0] &
    Parameters<typeof refuseQueuePrefixWithoutHashTag>[0] &
    Parameters<typeof resolvePublicBaseUrl>[0],
>(config: C): C {
  refuseUnsafeProductionConfig(config);
  refuseIncompleteStorageConfig(config);
  refuseQueuePrefixWithoutHashTag(config);
  config.PUBLIC_BASE_URL = resolvePublicBaseUrl(config);
  return config;
}

/** Outgoing mail, for a process that sends mail itself (the API sends magic links). */
export const MailEnv = {
  /** e.g. smtp://user:pass@host:587; empty logs mails instead of sending them. */
  SMTP_URL: Type.String({ default: '' }),
  MAIL_FROM: Type.String({ default: 'Pavé <ne-pas-repondre@pave.localhost>' }),
};

/** Optional citizen accounts (magic links need MailEnv and PUBLIC_BASE_URL too). */
export const CitizenEnv = {
  /**
   * OpenID Connect providers as a JSON array, empty for none, e.g.
   * `[{"id":"franceconnect","label":"FranceConnect","issuer":"https://…","clientId":"…","clientSecret":"…",
   *   "scope":"openid email","params":{"acr_values":"eidas1"}}]`. Redirect URI to register at the provider:
   * `<PUBLIC_BASE_URL>/api/me/oidc/<id>/callback`. Checked at start-up by `parseOidcProviders`.
   */
  OIDC_PROVIDERS: Type.String({ default: '' }),
};
