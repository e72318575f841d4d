import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../../i18n';

/** Rows per page: a laptop screen of rows, so the add form below a list stays within reach. */
export const ADMIN_PAGE_SIZE = 20;

/** Lower case without accents: "Équipe" is found by "equipe". */
export function searchable(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/**
 * A list's search and page: the items whose `text` holds every word typed, `ADMIN_PAGE_SIZE` at a time.
 * A new search goes back to the first page.
 */
export function useSearchPage<T>(items: readonly T[], text: (item: T) => string) {
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);
  const found = useMemo(() => {
    const words = searchable(query).split(/\s+/).filter(Boolean);
    if (words.length === 0) return items.map((item, index) => ({ item, index }));
    return items.flatMap((item, index) => {
      const haystack = searchable(text(item));
      return words.every((w) => haystack.includes(w)) ? [{ item, index }] : [];
    });
    // `text` is a pure function of the item.
  }, [items, query]);
  const pages = Math.max(1, Math.ceil(found.length / ADMIN_PAGE_SIZE));
  useEffect(() => setPage(0), [query]);
  useEffect(() => {
    if (page >= pages) setPage(pages - 1);
  }, [page, pages]);
  const shown = found.slice(page * ADMIN_PAGE_SIZE, (page + 1) * ADMIN_PAGE_SIZE);
  return { query, setQuery, page, setPage, pages, found: found.length, total: items.length, shown };
}

/** The search box above an admin list, saying how many rows match. */
export function AdminSearch({
  id,
  label,
  query,
  onQuery,
  found,
  total,
}: {
  id: string;
  label: string;
  query: string;
  onQuery: (query: string) => void;
  found: number;
  total: number;
}) {
  const { t } = useI18n();
  return (
    <div className="admin-search" role="search">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="search"
        className="input admin-search__input"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        aria-describedby={`${id}-count`}
      />
      <p id={`${id}-count`} className="admin-muted admin-search__count" aria-live="polite">
        {query ? t('admin.list.found', { n: found, total }) : t('admin.list.total', { n: total })}
      </p>
    </div>
  );
}

/** Previous / next under an admin list, with where the reader is. Hidden when one page holds it all. */
export function AdminPager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  const { t } = useI18n();
  if (pages <= 1) return null;
  return (
    <nav className="admin-pager" aria-label={t('admin.list.pages')}>
      <button type="button" className="button button--secondary" disabled={page === 0} onClick={() => onPage(page - 1)}>
        {t('admin.list.previous')}
      </button>
      <span className="admin-pager__where">{t('admin.list.page', { page: page + 1, pages })}</span>
      <button
        type="button"
        className="button button--secondary"
        disabled={page >= pages - 1}
        onClick={() => onPage(page + 1)}
      >
        {t('admin.list.next')}
      </button>
    </nav>
  );
}
