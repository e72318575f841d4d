import fastifyHelmet from '@fastify/helmet';
import { AppError } from '@pave/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiConfig } from '../config';
import { CITIZEN_COOKIE } from './citizen-auth';
import { SESSION_COOKIE } from './staff-auth';

/**
 * Browser security on every answer: a strict Content-Security-Policy that still lets the map load
 * the configured base-map tiles, no framing, no MIME sniffing, no private link in a Referer, and
 * HSTS when the public address is HTTPS. Then the cross-site check on cookie-authenticated writes.
 */
export async function registerBrowserSecurity(app: FastifyInstance, config: ApiConfig): Promise<void> {
  const isHttps = config.PUBLIC_BASE_URL.startsWith('https://');
  const tileSource = tileImageSource(config.TILE_URL);
  const mediaSource = config.MEDIA_PUBLIC_BASE_URL ? [new URL(config.MEDIA_PUBLIC_BASE_URL).origin] : [];
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // React and Leaflet set styles through the DOM (allowed); Swagger UI and Leaflet's controls
        // also carry style attributes, which CSP counts as inline.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // blob: for the preview of a photo before it is sent; data: for Leaflet's and the icons' SVGs.
        // The CDN of MEDIA_PUBLIC_BASE_URL, when photos are served from one.
        imgSrc: ["'self'", 'data:', 'blob:', ...(tileSource ? [tileSource] : []), ...mediaSource],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        ...(isHttps ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // A report page's private link (?t=) must not leave in a Referer; tile servers still get the origin.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    hsts: isHttps ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    frameguard: { action: 'deny' },
  });
  const publicOrigin = new URL(config.PUBLIC_BASE_URL).origin;
  app.addHook('onRequest', async (request) => refuseCrossSiteWrite(request, publicOrigin));
}

/** The CSP source of the tile URL's host (`{s}` subdomains become `*`), or null when tiles are off. */
export function tileImageSource(tileUrl: string): string | null {
  const match = /^(https?:\/\/[^/]+)/.exec(tileUrl.replace(/\{s\}/g, '*'));
  return match ? match[1]! : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A write that a session cookie would authenticate is refused when the browser says it comes from
 * another site (Sec-Fetch-Site) or names another origin (Origin). SameSite=Lax cookies already stop
 * most of these; this also covers sibling subdomains and browsers without SameSite. Requests with no
 * session cookie (a resident's anonymous report, an Open311 client, a mail client's one-click
 * unsubscribe) carry no ambient authority and pass.
 */
function refuseCrossSiteWrite(request: FastifyRequest, publicOrigin: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const cookies = request.cookies ?? {};
  if (!cookies[SESSION_COOKIE] && !cookies[CITIZEN_COOKIE]) return;
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const isCrossSite =
    (typeof site === 'string' && site !== 'same-origin' && site !== 'none') ||
    (typeof origin === 'string' && !isOwnOrigin(origin, request, publicOrigin));
  if (isCrossSite) {
    throw new AppError('CROSS_SITE_REQUEST', 'This request comes from another site and was refused.');
  }
}

function isOwnOrigin(origin: string, request: FastifyRequest, publicOrigin: string): boolean {
  if (origin === publicOrigin) return true;
  try {
    // Served under another name (127.0.0.1 vs localhost, the Vite dev proxy): the Host it was asked for.
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
