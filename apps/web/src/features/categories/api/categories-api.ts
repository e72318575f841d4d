import type { Category, CategoryGroup, CategoryTree } from '@pave/shared';
import { cacheOnce, requestJson } from '../../../lib/api-client';
import { withOfflineCopy } from '../../../lib/offline-copy';

/** The category tree, fetched once per visit (the last copy seen when there is no network). */
export const fetchCategories = cacheOnce(
  withOfflineCopy('categories', () => requestJson<CategoryTree>('/api/categories')),
);

export interface CategoryEntry {
  category: Category;
  group: CategoryGroup;
}

/** Index by category code, for labels on the map where only the code is known. */
export function indexCategories(tree: CategoryTree): Map<string, CategoryEntry> {
  const index = new Map<string, CategoryEntry>();
  for (const group of tree.groups) {
    for (const category of group.categories) index.set(category.code, { category, group });
  }
  return index;
}
