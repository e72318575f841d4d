import type { Locale } from '@pave/shared';
import { useI18n } from '../i18n';
import { Link } from '../lib/router';
import { Logo } from './logo';

// One button naming the other language fits a 360px phone next to the name and the nav.
const OTHER_LOCALE: Record<Locale, Locale> = { fr: 'en', en: 'fr' };

/** Name, the two destinations, and the language switch; on every page. */
export function SiteHeader({ pathname }: { pathname: string }) {
  const { t, locale, setLocale } = useI18n();
  const other = OTHER_LOCALE[locale];
  const current = (href: string) => (pathname === href ? 'page' : undefined);
  return (
    <header className="site-header">
      <Link href="/" className="brand" aria-label={t('nav.home')}>
        <Logo />
        <span className="brand-name">{t('app.name')}</span>
      </Link>
      <nav className="site-nav" aria-label={t('nav.label')}>
        <Link href="/" className="nav-link" aria-current={current('/')}>
          {t('nav.map')}
        </Link>
        <Link href="/signaler" className="nav-link" aria-current={current('/signaler')}>
          {t('nav.report')}
        </Link>
      </nav>
      <button
        type="button"
        className="lang-toggle"
        lang={other}
        title={t(`lang.${other}`)}
        data-testid="lang-toggle"
        onClick={() => setLocale(other)}
      >
        {other.toUpperCase()}
      </button>
    </header>
  );
}
