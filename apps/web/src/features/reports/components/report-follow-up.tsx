import { useId, useState, type FormEvent } from 'react';
import { REPORT_LIMITS } from '@pave/shared';
import { useI18n } from '../../../i18n';
import { addComment, answerFixed, unfollowReport, type ReportView, type ViewerRole } from '../api/reports-api';
import { downscalePhoto } from '../lib/downscale-photo';
import { describeSubmitError } from '../report-errors';
import { FixedQuestion } from './fixed-question';

/**
 * What the reporter (or a follower) can do with their private link: answer "is it fixed?" once
 * the city says it is, add a comment or a photo, stop following.
 */
export function ReportFollowUp({
  report,
  token,
  role,
  onRoleChange,
  onChanged,
}: {
  report: ReportView;
  token: string;
  role: ViewerRole;
  onRoleChange: (role: ViewerRole) => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const ids = { title: useId(), comment: useId(), photo: useId(), error: useId() };
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<'fixed' | 'reopened' | null>(null);
  const [comment, setComment] = useState('');
  const [commentPhoto, setCommentPhoto] = useState<File | null>(null);
  const [isCommented, setIsCommented] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setIsBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(describeSubmitError(failure, t));
    } finally {
      setIsBusy(false);
    }
  };

  const sendAnswer = (fixed: boolean, explanation: string, rating: number | null) =>
    run(async () => {
      await answerFixed(report.id, token, fixed, explanation, rating);
      setAnswer(fixed ? 'fixed' : 'reopened');
      onChanged();
    });

  const sendComment = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!comment.trim()) {
      setError(t('comment.empty'));
      return;
    }
    void run(async () => {
      const photo = commentPhoto ? await downscalePhoto(commentPhoto) : null;
      await addComment(report.id, token, comment.trim(), photo);
      setComment('');
      setCommentPhoto(null);
      setIsCommented(true);
      onChanged();
    });
  };

  const unfollow = () =>
    run(async () => {
      await unfollowReport(report.id, token);
      onRoleChange({ ...role, following: false });
    });

  return (
    <section className="report-section follow-up" aria-labelledby={ids.title} data-testid="follow-up">
      <h2 id={ids.title} className="section-title">
        {role.role === 'reporter'
          ? t('followUp.reporter')
          : role.following
            ? t('followUp.follower')
            : t('followUp.privateLinkTitle')}
      </h2>
      <p className="field-hint">{t('followUp.privateLink')}</p>

      {report.status === 'resolved' && answer === null && (
        <FixedQuestion
          isBusy={isBusy}
          onAnswer={(fixed, explanation, rating) => void sendAnswer(fixed, explanation, rating)}
        />
      )}
      {answer && (
        <p className="support-done" role="status" data-testid="fixed-answer">
          {answer === 'fixed' ? t('fixed.thanksFixed') : t('fixed.thanksReopened')}
        </p>
      )}

      <form className="comment-form" onSubmit={sendComment} noValidate>
        <label htmlFor={ids.comment} className="field-sublabel">
          {t('comment.label')}
        </label>
        <textarea
          id={ids.comment}
          className="textarea"
          rows={3}
          maxLength={REPORT_LIMITS.descriptionMaxLength}
          value={comment}
          onChange={(event) => {
            setComment(event.target.value);
            setIsCommented(false);
          }}
          aria-describedby={error ? ids.error : undefined}
        />
        <input
          id={ids.photo}
          type="file"
          accept="image/jpeg,image/png,image/webp"
          className="file-input"
          onChange={(event) => setCommentPhoto(event.target.files?.[0] ?? null)}
        />
        <label htmlFor={ids.photo} className="button button--quiet file-button comment-photo-label">
          {commentPhoto ? t('comment.photoChosen', { name: commentPhoto.name }) : t('comment.photo')}
        </label>
        <button type="submit" className="button button--secondary" disabled={isBusy}>
          {t('comment.submit')}
        </button>
        {isCommented && (
          <p className="support-done" role="status">
            {t('comment.done')}
          </p>
        )}
      </form>

      {role.role === 'follower' &&
        (role.following ? (
          <button type="button" className="button button--quiet" onClick={() => void unfollow()} disabled={isBusy}>
            {t('follow.stop')}
          </button>
        ) : (
          <p className="field-hint" role="status">
            {t('follow.stopped')}
          </p>
        ))}

      {error && (
        <p id={ids.error} className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
