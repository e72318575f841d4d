import type { Category, CategoryGroup, CategoryTree } from '@pave/shared';
import { cacheOnce, requestJson } from '../../../lib/api-client';

/** The category tree, fetched once per visit. */
export const fetchCategories = cacheOnce(() => requestJson<CategoryTree>('/api/categories'));

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
