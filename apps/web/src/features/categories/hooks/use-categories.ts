import { useAsync, type AsyncState } from '../../../lib/use-async';
import { fetchCategories } from '../api/categories-api';
import type { CategoryTree } from '@pave/shared';

/** The category tree (loading, ready or failed). */
export function useCategories(): AsyncState<CategoryTree> {
  return useAsync(fetchCategories, []);
}
