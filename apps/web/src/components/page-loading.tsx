import { useI18n } from '../i18n';

/**
 * Shown while a page's code or data arrives; on a phone that is a fraction of a second, usually.
 * `message` says what is awaited, when more is known than "loading".
 */
export function PageLoading({ message }: { message?: string }) {
  const { t } = useI18n();
  return (
    <div className="page page--narrow">
      <p className="page-loading" role="status">
        {message ?? t('common.loading')}
      </p>
    </div>
  );
}
