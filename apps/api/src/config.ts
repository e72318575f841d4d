import { CitizenEnv, CommonEnv, MailEnv, PublicUrlEnv, parseEnv, settleServerConfig } from '@pave/core';
import { Type, type Static } from 'typebox';

export const ApiConfigSchema = Type.Object({
  ...CommonEnv,
  ...MailEnv,
  ...CitizenEnv,
  ...PublicUrlEnv,
  /** The built web app served at `/`; empty to serve the API alone. */
  WEB_DIST_DIR: Type.String({ default: './apps/web/dist' }),
  /**
   * A streaming read replica of DATABASE_URL (docs/read-replica.md): the public map, its tiles, analytics
   * and exports read there; empty reads everything from DATABASE_URL.
   */
  DATABASE_REPLICA_URL: Type.String({ default: '' }),
  /** Base-map tiles; web tiles need the internet, the map falls back to area outlines without them. */
  TILE_URL: Type.String({ default: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' }),
  TILE_ATTRIBUTION: Type.String({ default: '© OpenStreetMap contributors' }),
  MAP_CENTER_LON: Type.Number({ default: 2.3488 }),
  MAP_CENTER_LAT: Type.Number({ default: 48.8534 }),
  MAP_ZOOM: Type.Integer({ minimum: 1, maximum: 20, default: 12 }),
  /**
   * Where addresses come from: `local`, the city's own index (`npm run addresses:import`), or
   * `ban-api`, an external geocoder speaking the national address API's format at GEOCODER_URL,
   * which then sees what residents type and where they point.
   */
  GEOCODER: Type.Union([Type.Literal('local'), Type.Literal('ban-api')], { default: 'local' }),
  GEOCODER_URL: Type.String({ default: '' }),
  /** Reports a minute from one device, and from one IP address (several devices behind one NAT). */
  RATE_LIMIT_REPORTS_PER_DEVICE: Type.Integer({ minimum: 1, default: 10 }),
  RATE_LIMIT_REPORTS_PER_IP: Type.Integer({ minimum: 1, default: 30 }),
  /** Open311 service requests a minute per api_key (and twice that per client address). */
  RATE_LIMIT_OPEN311_PER_KEY: Type.Integer({ minimum: 1, default: 60 }),
  /** Send the session cookies over HTTPS only; on whenever NODE_ENV is production, whatever this says. */
  COOKIE_SECURE: Type.Boolean({ default: false }),
  /**
   * The reverse proxies whose X-Forwarded-For is believed, comma-separated addresses or CIDR ranges
   * (`loopback`, `uniquelocal` work too); empty trusts none, and every rate limit keys on the peer address.
   */
  TRUST_PROXY: Type.String({ default: '' }),
  /** A request whose headers and body have not all arrived after this long is closed (a slow upload on 3G fits). */
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 120_000 }),
  /** A request whose headers have not all arrived after this long is closed. */
  HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 20_000 }),
  /** How often the server looks for requests past these timeouts. */
  TIMEOUT_CHECK_INTERVAL_MS: Type.Integer({ minimum: 100, default: 5_000 }),
  /** The one Open311 jurisdiction served; requests naming another are answered 404. */
  OPEN311_JURISDICTION_ID: Type.String({ minLength: 1, default: 'paris.fr' }),
  /** Hosts whose Open311 `media_url` photos are fetched, comma-separated; empty: never fetch (docs/adr/0003). */
  OPEN311_MEDIA_HOSTS: Type.String({ default: '' }),
  OPEN311_CONTACT: Type.String({ default: 'Pavé — Ville de Paris, open311@paris.fr' }),
  /** Where a client developer asks for an api_key. */
  OPEN311_KEY_SERVICE: Type.String({ default: 'Demandez une clé à open311@paris.fr' }),
});
export type ApiConfig = Static<typeof ApiConfigSchema>;

/** Reads the API's configuration from an environment (process.env at start-up). */
export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  const config = settleServerConfig(parseEnv(ApiConfigSchema, env));
  if (config.NODE_ENV === 'production') config.COOKIE_SECURE = true;
  return config;
}

/** The proxies to trust, in the form Fastify's `trustProxy` takes (false: none). */
export function trustedProxies(config: ApiConfig): string[] | false {
  const list = config.TRUST_PROXY.split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return list.length > 0 ? list : false;
}
