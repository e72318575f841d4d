import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { LOCALES, type Label, type Locale } from '@pave/shared';
import { fr, type Message, type MessageKey, type Messages } from './fr';

// English is downloaded by those who read it only: French is the city's language and most visitors'.
const DICTIONARIES: Partial<Record<Locale, Messages>> = { fr };
const LOADERS: Record<Locale, () => Promise<Messages>> = {
  fr: () => Promise.resolve(fr),
  en: () => import('./en').then((module) => module.en),
};
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

/** Fetches a language's messages once; the app is rendered after the first language's have arrived. */
export async function loadMessages(locale: Locale): Promise<void> {
  DICTIONARIES[locale] ??= await LOADERS[locale]();
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
    // French until the chosen language's messages are here (they are loaded before the first render).
    const messages = DICTIONARIES[locale] ?? fr;
    // French counts 0 and 1 as singular ("0 signalement"), English only 1.
    const pluralRules = new Intl.PluralRules(INTL_LOCALES[locale]);
    const dateFormats = {
      long: new Intl.DateTimeFormat(INTL_LOCALES[locale], { dateStyle: 'long', timeStyle: 'short' }),
      short: new Intl.DateTimeFormat(INTL_LOCALES[locale], { dateStyle: 'medium' }),
    };
    return {
      locale,
      setLocale,
      t: (key, vars) => interpolate(pick(messages[key], vars, pluralRules), vars, locale),
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
