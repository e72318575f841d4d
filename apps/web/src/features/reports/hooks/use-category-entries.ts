import { useMemo } from 'react';
import type { Category, CategoryGroup, CategoryTree } from '@pave/shared';
import { useI18n } from '../../../i18n';
import type { SearchableCategory } from '../lib/category-search';
import { normalizeForSearch } from '../lib/text-search';

/** `GET /api/categories` also says which sub-types are reported most (codes, most used first). */
export type CategoryTreeWithPopular = CategoryTree & { popular?: string[] };

export interface CategoryEntry {
  category: Category;
  group: CategoryGroup;
  /** Normalised label, synonyms and group name, for matching; null for choices outside a search. */
  searchable: SearchableCategory | null;
}

// Enough to cover most reports without pushing the groups off a phone screen.
const POPULAR_COUNT = 6;

/** Every sub-type with its group, ready to search in the current language, by code, and the most reported. */
export function useCategoryEntries(tree: CategoryTreeWithPopular) {
  const { label, locale } = useI18n();
  const entries = useMemo<CategoryEntry[]>(
    () =>
      tree.groups.flatMap((group) =>
        group.categories.map((category) => ({
          category,
          group,
          searchable: {
            label: normalizeForSearch(category.label[locale] || category.label.fr),
            synonyms: category.synonyms.map(normalizeForSearch),
            others: [normalizeForSearch(category.label.fr), normalizeForSearch(label(group.label))],
          },
        })),
      ),
    [tree, locale, label],
  );
  const byCode = useMemo(() => new Map(entries.map((entry) => [entry.category.code, entry])), [entries]);
  const popular = useMemo(
    () =>
      (tree.popular ?? [])
        .map((code) => byCode.get(code))
        .filter((entry): entry is CategoryEntry => !!entry)
        .slice(0, POPULAR_COUNT),
    [tree, byCode],
  );
  return { entries, byCode, popular };
}
