import { useI18n } from '../i18n';
import { Link } from '../lib/router';
import { useDocumentTitle } from '../lib/use-document-title';

export function NotFoundPage() {
  const { t } = useI18n();
  useDocumentTitle(t('notFound.title'));
  return (
    <div className="page page--narrow">
      <h1 className="page-title">{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <p>
        <Link href="/" className="button button--secondary">
          {t('common.backToMap')}
        </Link>
      </p>
    </div>
  );
}
