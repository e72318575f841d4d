import { useEffect, useState } from 'react';
import type { CategorySuggestion, CategoryTree } from '@pave/shared';
import type { AsyncState } from '../../../lib/use-async';
import { fetchCategories, fetchCategoriesAt } from '../api/categories-api';

/**
 * The categories a resident may choose at a pin (`[lon, lat]`): the offer of the town there, in its
 * words, once the pin is known; the whole catalogue before that. The previous answer stays on screen
 * while a moved pin is asked about; when the place cannot be asked (offline, outside every town), the
 * whole catalogue is shown and the server says what it refuses.
 */
export function useCategoriesAt(point: [number, number] | null): AsyncState<CategoryTree> {
  const [state, setState] = useState<AsyncState<CategoryTree>>({ status: 'loading' });
  const lon = point?.[0];
  const lat = point?.[1];

  useEffect(() => {
    let isCurrent = true;
    const load =
      lon === undefined || lat === undefined
        ? fetchCategories()
        : fetchCategoriesAt([lon, lat]).catch(() => fetchCategories());
    load.then(
      (data) => isCurrent && setState({ status: 'ready', data }),
      (error: unknown) => isCurrent && setState({ status: 'error', error }),
    );
    return () => {
      isCurrent = false;
    };
  }, [lon, lat]);

  return state;
}

/** Whether a category code is offered in a tree (true while the tree is not known: the server decides). */
export function isOffered(categories: AsyncState<CategoryTree>, code: string): boolean {
  if (categories.status !== 'ready') return true;
  return categories.data.groups.some((g) => g.categories.some((c) => c.code === code));
}

/** The suggestions the place offers: a neighbouring town may not take every category. */
export function keepOffered(
  suggestions: CategorySuggestion[],
  categories: AsyncState<CategoryTree>,
): CategorySuggestion[] {
  return suggestions.filter((s) => isOffered(categories, s.code));
}
