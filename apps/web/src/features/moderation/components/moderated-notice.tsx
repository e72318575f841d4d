import { useI18n } from '../../../i18n';

/** What the public reads in place of a description or comment a moderator hid. */
export function ModeratedNotice() {
  const { t } = useI18n();
  return (
    <p className="moderated-notice" data-testid="moderated-notice">
      {t('moderation.hiddenNotice')}
    </p>
  );
}
