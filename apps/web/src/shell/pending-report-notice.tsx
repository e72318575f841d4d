import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { whenPageLoaded } from '../lib/page-loaded';
import { Link } from '../lib/router';

/**
 * A report saved on the phone but not yet received (the network dropped, the app was closed)
 * is announced on every page, so the resident can go and let it finish sending.
 */
export function PendingReportNotice({ pathname }: { pathname: string }) {
  const { t } = useI18n();
  const [hasPending, setHasPending] = useState(false);
  const isOnForm = pathname === '/signaler';

  useEffect(() => {
    if (isOnForm) return;
    let isCurrent = true;
    // Loaded on demand, once the page has loaded: IndexedDB code has no business in the first screen,
    // and on a slow link its download would share the line with the map's.
    void whenPageLoaded()
      .then(() => import('../features/reports/lib/report-drafts'))
      .then(({ findPendingDraft }) => findPendingDraft())
      .then((draft) => isCurrent && setHasPending(!!draft));
    return () => {
      isCurrent = false;
    };
  }, [isOnForm, pathname]);

  if (isOnForm || !hasPending) return null;
  return (
    <div className="pending-notice" role="status" data-testid="pending-notice">
      <p>{t('pending.notice')}</p>
      <Link href="/signaler" className="pending-notice-link">
        {t('pending.noticeLink')}
      </Link>
    </div>
  );
}
