import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findCategoryTree } from '@pave/core';
import { CategoryTreeSchema } from '@pave/shared';

export const categoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/categories', { schema: { response: { 200: CategoryTreeSchema } } }, async () => ({
    groups: await findCategoryTree(app.deps.db),
  }));
};
