import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  createClientConnection,
  createBanApiGeocoder,
  createLocalGeocoder,
  createStorageFromConfig,
  createMailer,
  createPool,
  createReadPool,
  scopePoolByTown,
  createTokenSigner,
  isPrettyLog,
  logDestination,
  type Geocoder,
  type Mailer,
  type Pool,
  type RedisConnection,
  type ReplicaHealth,
  type Storage,
  type TokenSigner,
} from '@pave/core';
import { PHOTO_LIMITS } from '@pave/shared';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { trustedProxies, type ApiConfig } from './config';
import { registerErrorHandler } from './plugins/errors';
import { sendOpen311Error } from './routes/open311/errors';
import { registerInputGuard } from './plugins/input-guard';
import { registerMetrics } from './plugins/metrics';
import { registerBrowserSecurity } from './plugins/security';
import { registerStaffAuth } from './plugins/staff-auth';
import { authRoutes } from './routes/auth';
import { staffRoutes } from './routes/staff';
import { analyticsRoutes } from './routes/analytics';
import { alertRoutes } from './routes/alerts';
import { assistedReportRoutes } from './routes/assisted-reports';
import { jobRoutes } from './routes/jobs';
import { adminRoutes } from './routes/admin';
import { areaRoutes } from './routes/areas';
import { categoryRoutes } from './routes/categories';
import { suggestionRoutes } from './routes/suggestions';
import { healthRoutes } from './routes/health';
import { mediaRoutes } from './routes/media';
import { photoBlurRoutes } from './routes/photo-blur';
import { open311Routes } from './routes/open311';
import { followUpRoutes } from './routes/follow-up';
import { citizenRoutes } from './routes/citizens';
import { geocodeRoutes } from './routes/geocode';
import { reportRoutes } from './routes/reports';
import { publicMapRoutes } from './routes/events';
import { addTownHostRedirect, townAdminRoutes, townRoutes } from './routes/towns';
import { cityVoiceRoutes } from './routes/city-voice';
import { moderationRoutes } from './routes/moderation';

export interface AppDeps {
  config: ApiConfig;
  db: Pool;
  /**
   * Where public read-only traffic goes (map, tiles, analytics, exports): the replica's pool when
   * DATABASE_REPLICA_URL is set, else `db` itself. Writes, and reads that must see them, use `db`.
   */
  readDb: Pool;
  /** The replica's state when there is one (metrics, the map's lag check); null without a replica. */
  replica: ReplicaHealth | null;
  redis: RedisConnection;
  storage: Storage;
  tokens: TokenSigner;
  geocoder: Geocoder;
  /** Mails the API sends itself: sign-in links and follow confirmations (the worker sends the rest). */
  mailer: Mailer;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/** Builds the API (plugins, then routes) without listening; `app.close()` releases every connection. */
export async function buildApp(config: ApiConfig): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.cookie', 'req.headers.authorization'],
      stream: logDestination(isPrettyLog(config.LOG_PRETTY)),
    },
    // One request id per request, bound to every log line of that request.
    genReqId: () => crypto.randomUUID(),
    // X-Forwarded-For is set by the client unless a trusted proxy overwrites it: believed only from
    // the proxies listed in TRUST_PROXY, so rate limits key on an address the client cannot choose.
    trustProxy: trustedProxies(config),
    // A client that opens a request and never finishes it (slowloris) is cut off.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    http: {
      // Node checks the request timeout only when it is not shorter than the headers timeout.
      headersTimeout: Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: config.TIMEOUT_CHECK_INTERVAL_MS,
    },
    // Scalars are still coerced (a query string's "5" is the number 5), but not into arrays: Fastify's
    // default ('array') turned an explicit null for a nullable list into [0] (a rule's days: null, which
    // means "every day", was refused). No route takes a list from a query string; lists there are
    // comma-separated strings.
    ajv: { customOptions: { coerceTypes: true } },
    // Fastify's own refusals of a URL (malformed, a parameter over 100 characters) in our error shape,
    // without echoing the URL back.
    frameworkErrors: (error, request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 400;
      const message = 'The request URL is malformed or too long.';
      if (request.url.startsWith('/open311/')) {
        return sendOpen311Error(request, reply, status === 414 ? 400 : status, message);
      }
      return (reply as FastifyReply).status(status).send({ code: 'VALIDATION_FAILED', message });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const storage = createStorageFromConfig(config);
  // Both pools follow a staff request's town scope (db/town-scope.ts, entered in plugins/staff-auth.ts).
  const db = scopePoolByTown(
    createPool({
      connectionString: config.DATABASE_URL,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      applicationName: 'pave-api',
    }),
  );
  // Down or lagging, the replica hands its reads to the primary (db/read-pool.ts, docs/read-replica.md).
  const replica = config.DATABASE_REPLICA_URL
    ? createReadPool({
        connectionString: config.DATABASE_REPLICA_URL,
        statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
        // Its own name, so pg_stat_activity on either server tells the two pools apart.
        applicationName: 'pave-api-replica',
        primary: db,
        logger: app.log,
      })
    : null;
  const deps: AppDeps = {
    config,
    db,
    readDb: replica ? scopePoolByTown(replica.pool) : db,
    replica: replica?.health ?? null,
    redis: createClientConnection(config),
    storage,
    tokens: createTokenSigner(config.TOKEN_SECRET),
    geocoder: config.GEOCODER === 'ban-api' ? createBanApiGeocoder(config.GEOCODER_URL) : createLocalGeocoder(db),
    mailer: createMailer({
      smtpUrl: config.SMTP_URL,
      from: config.MAIL_FROM,
      // Without SMTP (development) a link is only in the log: that is how a developer signs in.
      log: (mail) => app.log.info({ to: mail.to, text: mail.text }, 'mail (SMTP_URL not set, not sent)'),
    }),
  };
  app.decorate('deps', deps);
  registerMetrics(app, config);
  app.addHook('onClose', async () => {
    await deps.db.end();
    if (deps.readDb !== deps.db) await deps.readDb.end();
    deps.redis.disconnect();
    deps.mailer.close();
    deps.storage.close();
  });

  registerErrorHandler(app);
  registerInputGuard(app);
  // Before any route: the OpenAPI document is built from the schemas of routes registered after it.
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Pavé API',
        version: '0.1.0',
        description: 'The web API (/api) and Open311 GeoReport v2 (/open311/v2).',
      },
      servers: [{ url: config.PUBLIC_BASE_URL }],
      tags: [
        { name: 'open311', description: 'Open311 GeoReport v2 with mySociety servicerequestupdates (docs/open311.md)' },
      ],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  await app.register(fastifyCookie);
  await registerBrowserSecurity(app, config);
  await app.register(fastifyMultipart, {
    limits: {
      files: PHOTO_LIMITS.maxFiles,
      fileSize: PHOTO_LIMITS.maxBytes,
      fields: 20,
      // 4,000 characters of description can take 16,000 bytes of UTF-8.
      fieldSize: 32 * 1024,
      parts: 30,
      headerPairs: 100,
    },
  });

  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(categoryRoutes);
      await api.register(suggestionRoutes);
      await api.register(areaRoutes);
      await api.register(townRoutes);
      await api.register(reportRoutes);
      await api.register(followUpRoutes);
      await api.register(alertRoutes);
      await api.register(citizenRoutes);
      await api.register(async (staff) => {
        registerStaffAuth(staff);
        await staff.register(authRoutes);
        await staff.register(staffRoutes);
        await staff.register(analyticsRoutes);
        await staff.register(assistedReportRoutes);
        await staff.register(jobRoutes);
        await staff.register(adminRoutes);
        await staff.register(townAdminRoutes);
        await staff.register(cityVoiceRoutes);
        await staff.register(moderationRoutes);
        await staff.register(photoBlurRoutes);
      });
      await api.register(geocodeRoutes);
      await api.register(publicMapRoutes);
    },
    { prefix: '/api' },
  );
  await app.register(open311Routes, { prefix: '/open311/v2' });

  // Renditions only: originals live outside `public/` and are never reachable.
  if (storage.kind === 'local') {
    await app.register(fastifyStatic, {
      root: storage.publicRoot,
      prefix: '/media/',
      decorateReply: false,
      index: false,
      // Photo ids are never reused, so a rendition URL never changes content.
      maxAge: '365d',
      immutable: true,
      // Open311 clients show media_url photos in their own pages: renditions may be embedded anywhere.
      setHeaders: (reply) => void reply.header('cross-origin-resource-policy', 'cross-origin'),
    });
  } else {
    await app.register(mediaRoutes);
  }

  addTownHostRedirect(app);
  const webRoot = config.WEB_DIST_DIR ? path.resolve(config.WEB_DIST_DIR) : '';
  const hasWeb = webRoot !== '' && existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
      // The .br and .gz siblings written at build time (apps/web/scripts/precompress.mjs).
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, filePath) => void reply.header('cache-control', webCacheControl(webRoot, filePath)),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const isApi = url.startsWith('/api/') || url === '/api' || url.startsWith('/media/');
    if (hasWeb && !isApi && request.method === 'GET') {
      // Client-side routes (/reports/:id, /signaler) are served the app shell.
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html', webRoot, {
        cacheControl: false,
      });
    }
    return reply.status(404).send({ code: 'NOT_FOUND', message: `No route ${request.method} ${url}` });
  });

  return app;
}

/**
 * Vite names every file of assets/ after a hash of its content, so it never changes under its name:
 * cached for a year without revalidation. Every other file of the web app (the page itself, the
 * service worker, the manifest, icons) is checked with the server at each use, so a new release is
 * seen at once.
 */
export function webCacheControl(webRoot: string, filePath: string): string {
  return path.relative(webRoot, filePath).startsWith(`assets${path.sep}`)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}
