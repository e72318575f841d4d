import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findCategoryTree, findPopularCategoryCodes } from '@pave/core';
import { CategoryTreeSchema } from '@pave/shared';

export const categoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/categories', { schema: { response: { 200: CategoryTreeSchema } } }, async () => ({
    groups: await findCategoryTree(app.deps.db),
    popular: await findPopularCategoryCodes(app.deps.db, 6),
  }));
};
