import {
  SUGGESTION_LIMITS,
  type Category,
  type CategoryGroup,
  type CategorySuggestions,
  type SuggestionQuery,
  type CategoryTree,
} from '@pave/shared';
import { cacheOnce, requestJson } from '../../../lib/api-client';
import { withOfflineCopy } from '../../../lib/offline-copy';

/** The category tree, fetched once per visit (the last copy seen when there is no network). */
export const fetchCategories = cacheOnce(
  withOfflineCopy('categories', () => requestJson<CategoryTree>('/api/categories')),
);

// One answer per place: a resident moving the pin back and forth asks once per spot.
const categoriesAt = new Map<string, Promise<CategoryTree>>();

/** The categories offered at a point (`[lon, lat]`): the town's there, with what a body handles. */
export function fetchCategoriesAt([lon, lat]: [number, number]): Promise<CategoryTree> {
  // About a metre: finer would ask again for the same place; coarser could cross a boundary.
  const key = `${lon.toFixed(5)},${lat.toFixed(5)}`;
  let pending = categoriesAt.get(key);
  if (!pending) {
    pending = requestJson<CategoryTree>(`/api/categories?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}`);
    pending.catch(() => categoriesAt.delete(key));
    categoriesAt.set(key, pending);
  }
  return pending;
}

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

/** The three categories the server finds most likely for a description and a point (`[lon, lat]`). */
export function fetchCategorySuggestions(
  input: { text: string; point: [number, number] | null },
  signal?: AbortSignal,
): Promise<CategorySuggestions> {
  const body: SuggestionQuery = {};
  const text = input.text.trim().slice(0, SUGGESTION_LIMITS.textMaxLength);
  if (text) body.q = text;
  if (input.point) {
    body.lon = input.point[0].toFixed(6);
    body.lat = input.point[1].toFixed(6);
  }
  return requestJson<CategorySuggestions>('/api/categories/suggestions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}
