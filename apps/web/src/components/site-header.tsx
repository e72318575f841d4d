import { LOCALES } from '@pave/shared';
import { useI18n } from '../i18n';
import { Link } from '../lib/router';
import { Logo } from './logo';

/** Name, the two destinations, and the language switch; on every page. */
export function SiteHeader({ pathname }: { pathname: string }) {
  const { t, locale, setLocale } = useI18n();
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
      <div className="lang-switch" role="group" aria-label={t('lang.label')}>
        {LOCALES.map((code) => (
          <button
            key={code}
            type="button"
            lang={code}
            className="lang-button"
            aria-pressed={locale === code}
            title={t(`lang.${code}`)}
            onClick={() => setLocale(code)}
          >
            {code.toUpperCase()}
          </button>
        ))}
      </div>
    </header>
  );
}
