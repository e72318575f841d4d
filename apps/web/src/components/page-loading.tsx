import { useI18n } from '../i18n';

/** Shown while a page's code arrives; on a phone that is a fraction of a second, usually. */
export function PageLoading() {
  const { t } = useI18n();
  return (
    <div className="page page--narrow">
      <p className="page-loading" role="status">
        {t('common.loading')}
      </p>
    </div>
  );
}
