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

/** Settings both the API and the worker need. */
export const CommonEnv = {
  NODE_ENV: Type.String({ default: 'development' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  DATABASE_URL: Type.String({ default: 'postgres://pave:pave@127.0.0.1:5432/pave' }),
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379' }),
  /** Prefix of every BullMQ key: lets several environments (and tests) share one Redis. */
  QUEUE_PREFIX: Type.String({ default: 'pave' }),
  STORAGE_DIR: Type.String({ default: './var/storage' }),
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
