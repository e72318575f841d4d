import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createLocalStorage, createPool, createClientConnection, type Pool, type Storage } from '@pave/core';
import { PHOTO_LIMITS } from '@pave/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { ApiConfig } from './config';
import { registerErrorHandler } from './plugins/errors';
import { areaRoutes } from './routes/areas';
import { categoryRoutes } from './routes/categories';
import { healthRoutes } from './routes/health';
import { reportRoutes } from './routes/reports';

export interface AppDeps {
  config: ApiConfig;
  db: Pool;
  redis: Redis;
  storage: Storage;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/** Builds the API (plugins, then routes) without listening; `app.close()` releases every connection. */
export async function buildApp(config: ApiConfig): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.LOG_LEVEL, redact: ['req.headers.cookie', 'req.headers.authorization'] },
    // One request id per request, bound to every log line of that request.
    genReqId: () => crypto.randomUUID(),
    trustProxy: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const storage = createLocalStorage(config.STORAGE_DIR);
  const deps: AppDeps = {
    config,
    db: createPool({
      connectionString: config.DATABASE_URL,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      applicationName: 'pave-api',
    }),
    redis: createClientConnection(config.REDIS_URL),
    storage,
  };
  app.decorate('deps', deps);
  app.addHook('onClose', async () => {
    await deps.db.end();
    deps.redis.disconnect();
  });

  registerErrorHandler(app);
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
      await api.register(areaRoutes);
      await api.register(reportRoutes);
    },
    { prefix: '/api' },
  );

  // Renditions only: originals live outside `public/` and are never reachable.
  await app.register(fastifyStatic, {
    root: storage.publicRoot,
    prefix: '/media/',
    decorateReply: false,
    index: false,
    // Photo ids are never reused, so a rendition URL never changes content.
    maxAge: '365d',
    immutable: true,
  });

  const webRoot = config.WEB_DIST_DIR ? path.resolve(config.WEB_DIST_DIR) : '';
  const hasWeb = webRoot !== '' && existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: 'index.html' });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const isApi = url.startsWith('/api/') || url === '/api' || url.startsWith('/media/');
    if (hasWeb && !isApi && request.method === 'GET') {
      // Client-side routes (/reports/:id, /signaler) are served the app shell.
      return reply.type('text/html').sendFile('index.html', webRoot, { maxAge: 0 });
    }
    return reply.status(404).send({ code: 'NOT_FOUND', message: `No route ${request.method} ${url}` });
  });

  return app;
}
