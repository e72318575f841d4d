import { useId, useState } from 'react';
import { useI18n } from '../../../i18n';
import { useCategoryEntries, type CategoryEntry, type CategoryTreeWithPopular } from '../hooks/use-category-entries';
import { scoreCategory } from '../lib/category-search';
import { normalizeForSearch } from '../lib/text-search';
import { CategoryChoice } from './category-choice';
import { CategorySearch } from './category-search';

interface CategoryPickerProps {
  tree: CategoryTreeWithPopular;
  value: string;
  onChange: (code: string) => void;
  isInvalid: boolean;
  errorId?: string;
}

/**
 * Two-level category choice as one radio group: a search over labels and synonyms (accents
 * ignored), the most reported sub-types, then the groups to open. Each category is one radio,
 * shown once, so arrow keys and screen readers see a plain list of choices.
 */
export function CategoryPicker({ tree, value, onChange, isInvalid, errorId }: CategoryPickerProps) {
  const { t, label } = useI18n();
  const ids = { legend: useId(), search: useId(), searchHint: useId(), results: useId(), chosen: useId() };
  const name = useId();
  const [query, setQuery] = useState('');
  const [openGroups, setOpenGroups] = useState<Set<string>>(new Set());

  const { entries, byCode, popular } = useCategoryEntries(tree);
  const popularCodes = new Set(popular.map((entry) => entry.category.code));

  const words = normalizeForSearch(query).split(' ').filter(Boolean);
  const isSearching = words.length > 0;
  const results = isSearching
    ? entries
        .map((entry) => ({ entry, score: entry.searchable ? scoreCategory(entry.searchable, words) : 0 }))
        .filter((match) => match.score > 0)
        .sort((a, b) => b.score - a.score)
        .map((match) => match.entry)
    : [];

  const chosen = byCode.get(value);
  // A choice made elsewhere (a resumed draft, a search) stays visible in its group.
  const isGroupOpen = (code: string) =>
    openGroups.has(code) || (!!chosen && chosen.group.code === code && !popularCodes.has(chosen.category.code));

  const toggleGroup = (code: string) =>
    setOpenGroups((current) => {
      const next = new Set(current);
      if (isGroupOpen(code)) next.delete(code);
      else next.add(code);
      return next;
    });

  const radio = (entry: CategoryEntry, hint?: string) => (
    <CategoryChoice
      key={entry.category.code}
      name={name}
      code={entry.category.code}
      label={label(entry.category.label)}
      hint={hint}
      isChecked={value === entry.category.code}
      onChoose={onChange}
      describedBy={isInvalid ? errorId : undefined}
    />
  );

  const searchHint = (entry: CategoryEntry): string => {
    const synonym = entry.category.synonyms.find((text) =>
      words.some((word) =>
        normalizeForSearch(text)
          .split(' ')
          .some((part) => part.startsWith(word)),
      ),
    );
    return synonym ? `${label(entry.group.label)} · ${synonym}` : label(entry.group.label);
  };

  return (
    <fieldset
      className={`field category-picker${isInvalid ? ' is-invalid' : ''}`}
      aria-labelledby={ids.legend}
      aria-describedby={[chosen ? ids.chosen : '', isInvalid ? errorId : ''].filter(Boolean).join(' ') || undefined}
    >
      <legend id={ids.legend} className="field-label">
        {t('form.category')}
      </legend>
      {chosen && (
        <p id={ids.chosen} className="category-chosen" data-testid="category-chosen">
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
              d="M5 12.5l4.5 4.5L19 7.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="2.6"
              strokeLinecap="round"
            />
          </svg>
          <span>
            {label(chosen.group.label)} › <strong>{label(chosen.category.label)}</strong>
          </span>
        </p>
      )}

      <CategorySearch
        id={ids.search}
        value={query}
        onValue={setQuery}
        onPickFirst={() => {
          const first = results[0];
          if (first) onChange(first.category.code);
        }}
        describedBy={ids.results}
        isInvalid={isInvalid}
      />
      <p id={ids.results} className="visually-hidden" role="status">
        {isSearching ? t('form.category.results', { n: results.length }) : ''}
      </p>

      {isSearching ? (
        results.length > 0 ? (
          <ul className="choice-list" data-testid="category-results">
            {results.map((entry) => radio(entry, searchHint(entry)))}
          </ul>
        ) : (
          <div className="category-empty">
            <p>{t('form.category.noMatch')}</p>
            <button type="button" className="button button--quiet" onClick={() => setQuery('')}>
              {t('form.category.showAll')}
            </button>
          </div>
        )
      ) : (
        <>
          {popular.length > 0 && (
            <div className="category-section">
              <p className="category-section-title" aria-hidden="true">
                {t('form.category.popular')}
              </p>
              <ul className="choice-list choice-list--popular" aria-label={t('form.category.popular')}>
                {popular.map((entry) => radio(entry))}
              </ul>
            </div>
          )}
          <ul className="category-groups">
            {tree.groups.map((group) => {
              const rest = group.categories.filter((category) => !popularCodes.has(category.code));
              if (rest.length === 0) return null;
              const isOpen = isGroupOpen(group.code);
              const panelId = `${name}-${group.code}`;
              return (
                <li key={group.code} className={`category-group${isOpen ? ' is-open' : ''}`}>
                  <button
                    type="button"
                    className="category-group-toggle"
                    aria-expanded={isOpen}
                    aria-controls={panelId}
                    onClick={() => toggleGroup(group.code)}
                  >
                    <span>{label(group.label)}</span>
                    <span className="category-group-count" aria-hidden="true">
                      {rest.length}
                    </span>
                    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" className="chevron">
                      <path
                        d="M6 9l6 6 6-6"
                        fill="none"
                        stroke="currentColor"
                        strokeWidth="2.4"
                        strokeLinecap="round"
                      />
                    </svg>
                  </button>
                  {isOpen && (
                    <ul id={panelId} className="choice-list choice-list--group">
                      {rest.map((category) => radio({ category, group, searchable: null }))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </fieldset>
  );
}
