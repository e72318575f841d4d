import { useEffect, useRef, type ReactNode } from 'react';
import { NotFoundPage } from './components/not-found-page';
import { SiteHeader } from './components/site-header';
import { ReportFormPage } from './features/reports/components/report-form-page';
import { ReportPage } from './features/reports/components/report-page';
import { ReportsMapPage } from './features/reports/components/reports-map-page';
import { I18nProvider, useI18n } from './i18n';
import { matchPath, usePathname } from './lib/router';

function route(pathname: string): { page: ReactNode; isFullScreen: boolean } {
  if (matchPath('/', pathname)) return { page: <ReportsMapPage />, isFullScreen: true };
  if (matchPath('/signaler', pathname)) return { page: <ReportFormPage />, isFullScreen: false };
  const report = matchPath('/reports/:id', pathname);
  // Keyed by id: going from one report to another starts a fresh page, not a half-updated one.
  if (report) return { page: <ReportPage key={report.id} id={report.id!} />, isFullScreen: false };
  return { page: <NotFoundPage />, isFullScreen: false };
}

function Shell() {
  const { t } = useI18n();
  const pathname = usePathname();
  const mainRef = useRef<HTMLElement>(null);
  const isFirstRender = useRef(true);
  const { page, isFullScreen } = route(pathname);

  // After a client-side navigation, start reading (and tabbing) at the new content, as a page load would.
  useEffect(() => {
    if (isFirstRender.current) {
      isFirstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <div className={isFullScreen ? 'app app--full' : 'app'}>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <SiteHeader pathname={pathname} />
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        {page}
      </main>
    </div>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Shell />
    </I18nProvider>
  );
}
