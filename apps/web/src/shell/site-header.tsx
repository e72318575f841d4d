import type { Locale } from '@pave/shared';
import { useI18n } from '../i18n';
import { useAnalystAccess } from '../features/council/hooks/use-analyst-access';
import { Link } from '../lib/router';
import { Logo } from '../components/logo';

// One button naming the other language fits a 360px phone next to the name and the nav.
const OTHER_LOCALE: Record<Locale, Locale> = { fr: 'en', en: 'fr' };

/** Name, the two destinations, and the language switch; on every page. */
export function SiteHeader({ pathname }: { pathname: string }) {
  const { t, locale, setLocale } = useI18n();
  const other = OTHER_LOCALE[locale];
  const current = (href: string) => (pathname === href ? 'page' : undefined);
  const canSeeAnalytics = useAnalystAccess(pathname);
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
        {canSeeAnalytics && (
          <Link href="/council" className="nav-link" aria-current={current('/council')} data-testid="nav-council">
            {t('nav.council')}
          </Link>
        )}
        <Link
          href="/compte"
          className="nav-link nav-link--account"
          aria-current={current('/compte')}
          aria-label={t('nav.account.label')}
          data-testid="nav-account"
        >
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" strokeWidth="2" />
            <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" fill="none" stroke="currentColor" strokeWidth="2" />
          </svg>
          <span className="nav-link-text">{t('nav.account')}</span>
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
