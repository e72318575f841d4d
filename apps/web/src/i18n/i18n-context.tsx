import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { LOCALES, type Label, type Locale } from '@pave/shared';
import { fr, type Message, type MessageKey, type Messages } from './fr';

/**
 * The dictionary's parts (see fr.ts): `public` for every page, `staff` for the staff's pages only. French's
 * public part comes with the app; every other part is downloaded by those who need it: English by its readers
 * (French is the city's language and most visitors'), the staff's part by those who open a staff page.
 */
type Part = 'public' | 'staff';
const LOADERS: Record<Locale, Record<Part, () => Promise<Partial<Messages>>>> = {
  fr: {
    public: () => Promise.resolve(fr),
    staff: () => import('./fr-staff').then((module) => module.frStaff),
  },
  en: {
    public: () => import('./en').then((module) => module.en),
    staff: () => import('./en-staff').then((module) => module.enStaff),
  },
};
// Each language's loaded parts, merged: `t` looks a key up when it is called, so a part that arrives later counts.
const DICTIONARIES: Partial<Record<Locale, Partial<Messages>>> = { fr: { ...fr } };
const downloads = new Map<string, Promise<void>>();
// What this visit has asked for: a language switched to gets every part already wanted, and a part
// asked for comes in every language already wanted, so the language shown always has its parts.
const wantedParts = new Set<Part>(['public']);
const wantedLocales = new Set<Locale>();

function loadPart(locale: Locale, part: Part): Promise<void> {
  const id = `${locale}/${part}`;
  let download = downloads.get(id);
  if (!download) {
    download = LOADERS[locale][part]().then((messages) => {
      Object.assign((DICTIONARIES[locale] ??= {}), messages);
    });
    // Offline, say: the next attempt downloads it again.
    download.catch(() => downloads.delete(id));
    downloads.set(id, download);
  }
  return download;
}

const STORAGE_KEY = 'pave.locale';
// British English: day-month order and a 24-hour clock, as a Paris resident reads dates.
const INTL_LOCALES: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

export type Vars = Record<string, string | number>;

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  /** The UI string for `key`, with `{name}` placeholders filled from `vars`. */
  t: (key: MessageKey, vars?: Vars) => string;
  /** Picks the current language out of a `{ fr, en }` label coming from the API. */
  label: (label: Label) => string;
  formatDate: (iso: string, style?: 'long' | 'short') => string;
}

const I18nContext = createContext<I18n | null>(null);

/** Fetches a language's messages, each part wanted so far; the app renders once the first language's are here. */
export async function loadMessages(locale: Locale): Promise<void> {
  wantedLocales.add(locale);
  await Promise.all([...wantedParts].map((part) => loadPart(locale, part)));
}

/**
 * `page` once the staff's messages (fr-staff.ts) are here as well, both downloading at once: a staff page
 * never shows a raw key. `lazy(() => withStaffMessages(import('./staff-page')).then(...))`.
 */
export async function withStaffMessages<T>(page: Promise<T>): Promise<T> {
  wantedParts.add('staff');
  // A language whose part cannot come falls back to French, as `t` does key by key.
  const messages = [...wantedLocales].map((locale) => loadPart(locale, 'staff').catch(() => loadPart('fr', 'staff')));
  const [module] = await Promise.all([page, ...messages]);
  return module;
}

/** The language chosen on this device, else the first of the browser's languages that Pavé speaks, else French. */
export function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  } catch {
    // Storage can be disabled (private mode, strict settings): the browser's languages still count.
  }
  return browserLocale(navigator.languages ?? [navigator.language]);
}

/** `['de-DE', 'en-US']` gives English; a browser speaking neither language gets French. */
export function browserLocale(languages: readonly string[]): Locale {
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    if ((LOCALES as readonly string[]).includes(base ?? '')) return base as Locale;
  }
  return 'fr';
}

/** The form of a message for the count among `vars` (`n`, else `count`): "1 signalement", "2 signalements". */
function pick(message: Message, vars: Vars | undefined, rules: Intl.PluralRules): string {
  if (typeof message === 'string') return message;
  const count = vars?.n ?? vars?.count;
  return typeof count === 'number' && rules.select(count) === 'one' ? message.one : message.other;
}

function interpolate(template: string, vars: Vars | undefined, locale: Locale): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? value.toLocaleString(INTL_LOCALES[locale]) : value;
  });
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted: the choice still holds for this visit.
    }
    loadMessages(next).then(
      () => setLocaleState(next),
      () => {
        // Offline before the service worker kept the other language: the page stays as it is.
      },
    );
  }, []);

  const value = useMemo<I18n>(() => {
    // French counts 0 and 1 as singular ("0 signalement"), English only 1.
    const pluralRules = new Intl.PluralRules(INTL_LOCALES[locale]);
    const dateFormats = {
      long: new Intl.DateTimeFormat(INTL_LOCALES[locale], { dateStyle: 'long', timeStyle: 'short' }),
      short: new Intl.DateTimeFormat(INTL_LOCALES[locale], { dateStyle: 'medium' }),
    };
    return {
      locale,
      setLocale,
      t: (key, vars) => {
        // French until the chosen language's messages are here (they are loaded before the first render).
        const message = DICTIONARIES[locale]?.[key] ?? DICTIONARIES.fr?.[key];
        // Only a part not loaded leaves a key without its message: parts.test.ts keeps each key in its part.
        return message === undefined ? key : interpolate(pick(message, vars, pluralRules), vars, locale);
      },
      label: (l) => l[locale] || l.fr,
      formatDate: (iso, style = 'long') => {
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? '' : dateFormats[style].format(date);
      },
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
