import { CommonEnv, parseEnv } from '@pave/core';
import { Type, type Static } from 'typebox';

export const ApiConfigSchema = Type.Object({
  ...CommonEnv,
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  /** The built web app served at `/`; empty to serve the API alone. */
  WEB_DIST_DIR: Type.String({ default: './apps/web/dist' }),
  /** Base-map tiles; web tiles need the internet, the map falls back to area outlines without them. */
  TILE_URL: Type.String({ default: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' }),
  TILE_ATTRIBUTION: Type.String({ default: '© OpenStreetMap contributors' }),
  MAP_CENTER_LON: Type.Number({ default: 2.3488 }),
  MAP_CENTER_LAT: Type.Number({ default: 48.8534 }),
  MAP_ZOOM: Type.Integer({ minimum: 1, maximum: 20, default: 12 }),
});
export type ApiConfig = Static<typeof ApiConfigSchema>;

/** Reads the API's configuration from an environment (process.env at start-up). */
export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  return parseEnv(ApiConfigSchema, env);
}
