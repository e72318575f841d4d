import { useI18n } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';

/** One message per failure kind, chosen on the error code (never on the server's text). */
export function AnalyticsError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'NETWORK';
  const message =
    code === 'PERIOD_INVALID'
      ? t('council.error.period')
      : code === 'FILTER_INVALID'
        ? t('council.error.filter')
        : code === 'AUTH_REQUIRED' || code === 'HTTP_401'
          ? t('council.error.session')
          : t('council.error.failed');
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
