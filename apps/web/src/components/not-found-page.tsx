import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { Link } from '../lib/router';
import { useDocumentTitle } from '../lib/use-document-title';

/** A page with nothing to show but why, and the way back to the map. */
export function BackToMapPage({ title, children }: { title: string; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="page page--narrow">
      <h1 className="page-title">{title}</h1>
      {children}
      <p>
        <Link href="/" className="button button--secondary">
          {t('common.backToMap')}
        </Link>
      </p>
    </div>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  useDocumentTitle(t('notFound.title'));
  return (
    <BackToMapPage title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
    </BackToMapPage>
  );
}
