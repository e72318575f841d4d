import { useI18n } from '../i18n';
import { useOnline } from '../lib/use-online';

/**
 * Says, politely and on every page, that the browser has no network; on the public map, that what it
 * shows is the last copy it saw (the service worker keeps it, public/sw.js).
 */
export function OfflineBanner({ pathname }: { pathname: string }) {
  const { t } = useI18n();
  const isOnline = useOnline();
  return (
    // The live region stays in the page so that a screen reader hears the change as it happens.
    <div role="status" aria-live="polite" className="offline-banner-region">
      {!isOnline && (
        <p className="offline-banner" data-testid="offline-banner">
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path
              d="M2 8.5a15 15 0 0 1 20 0M5.5 12a10 10 0 0 1 13 0M9 15.5a5 5 0 0 1 6 0M3 3l18 18"
              stroke="currentColor"
              strokeWidth="2"
              fill="none"
              strokeLinecap="round"
            />
          </svg>
          {pathname === '/' ? t('offline.banner.map') : t('offline.banner')}
        </p>
      )}
    </div>
  );
}
