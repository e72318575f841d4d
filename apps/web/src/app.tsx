import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
import { NotFoundPage } from './components/not-found-page';
import { PageLoading } from './components/page-loading';
import { OfflineBanner } from './shell/offline-banner';
import { PendingReportNotice } from './shell/pending-report-notice';
import { SiteHeader } from './shell/site-header';
import { I18nProvider, useI18n, withStaffMessages } from './i18n';
import { matchPath, usePathname } from './lib/router';

// One chunk per page: the report form must not wait for the map page's code, nor the other way round.
const ReportsMapPage = lazy(() =>
  import('./features/reports/components/reports-map-page').then((m) => ({ default: m.ReportsMapPage })),
);
const ReportFormPage = lazy(() =>
  import('./features/reports/components/report-form-page').then((m) => ({ default: m.ReportFormPage })),
);
const ReportsListPage = lazy(() =>
  import('./features/reports/components/reports-list-page').then((m) => ({ default: m.ReportsListPage })),
);
const ReportPage = lazy(() =>
  import('./features/reports/components/report-page').then((m) => ({ default: m.ReportPage })),
);

const AccountPage = lazy(() =>
  import('./features/account/components/account-page').then((m) => ({ default: m.AccountPage })),
);
const MagicLinkPage = lazy(() =>
  import('./features/account/components/magic-link-page').then((m) => ({ default: m.MagicLinkPage })),
);

const AlertsPage = lazy(() =>
  import('./features/alerts/components/alerts-page').then((m) => ({ default: m.AlertsPage })),
);
const AlertLinkPage = lazy(() =>
  import('./features/alerts/components/alert-link-page').then((m) => ({ default: m.AlertLinkPage })),
);

const TownPage = lazy(() => import('./features/towns/components/town-page').then((m) => ({ default: m.TownPage })));

// The staff's pages bring their own strings (i18n/fr-staff.ts): a resident never downloads them.
const StaffPage = lazy(() =>
  withStaffMessages(import('./features/staff/components/staff-page')).then((m) => ({ default: m.StaffPage })),
);
const CouncilPage = lazy(() =>
  withStaffMessages(import('./features/council/components/council-page')).then((m) => ({ default: m.CouncilPage })),
);
const ModerationPage = lazy(() =>
  withStaffMessages(import('./features/moderation/components/moderation-page')).then((m) => ({
    default: m.ModerationPage,
  })),
);
const AdminPage = lazy(() =>
  withStaffMessages(import('./features/admin/components/admin-page')).then((m) => ({ default: m.AdminPage })),
);

function route(pathname: string): { page: ReactNode; isFullScreen: boolean } {
  if (matchPath('/', pathname)) return { page: <ReportsMapPage />, isFullScreen: true };
  if (matchPath('/signaler', pathname)) return { page: <ReportFormPage />, isFullScreen: false };
  if (matchPath('/reports', pathname)) return { page: <ReportsListPage />, isFullScreen: false };
  if (matchPath('/staff', pathname)) return { page: <StaffPage />, isFullScreen: false };
  if (matchPath('/council', pathname)) return { page: <CouncilPage />, isFullScreen: false };
  if (matchPath('/admin', pathname)) return { page: <AdminPage />, isFullScreen: false };
  if (matchPath('/moderation', pathname)) return { page: <ModerationPage />, isFullScreen: false };
  if (matchPath('/alertes', pathname)) return { page: <AlertsPage />, isFullScreen: false };
  if (matchPath('/alertes/confirmer', pathname))
    return { page: <AlertLinkPage purpose="confirm" />, isFullScreen: false };
  if (matchPath('/alertes/desinscription', pathname)) {
    return { page: <AlertLinkPage purpose="unsubscribe" />, isFullScreen: false };
  }
  if (matchPath('/compte', pathname)) return { page: <AccountPage />, isFullScreen: false };
  if (matchPath('/compte/connexion', pathname)) return { page: <MagicLinkPage />, isFullScreen: false };
  const town = matchPath('/villes/:code', pathname);
  if (town) return { page: <TownPage key={town.code} code={town.code!} />, isFullScreen: false };
  // Keyed: going from one report to another starts a fresh page, not a half-updated one.
  const byRef = matchPath('/r/:ref', pathname);
  if (byRef)
    return {
      page: <ReportPage key={`ref-${byRef.ref}`} lookup={{ by: 'ref', value: byRef.ref! }} />,
      isFullScreen: false,
    };
  const byId = matchPath('/reports/:id', pathname);
  if (byId)
    return { page: <ReportPage key={`id-${byId.id}`} lookup={{ by: 'id', value: byId.id! }} />, isFullScreen: false };
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
      <OfflineBanner pathname={pathname} />
      <PendingReportNotice pathname={pathname} />
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        <Suspense fallback={<PageLoading />}>{page}</Suspense>
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
