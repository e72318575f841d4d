import { TRANSITIONS } from '@pave/shared/state-machine';
import { PUBLIC_STATUS, type PublicReport } from '@pave/shared';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../../i18n';
import { StatusBadge } from '../../reports/components/status-badge';
import { fetchNearby, transition, type NearbyItem } from '../api/staff-api';
import { describeActionFailure } from '../staff-errors';
import { ActionOutcome } from './action-outcome';

/** Which report becomes the duplicate of which. */
interface Merge {
  duplicateId: string;
  duplicateRef: string;
  originalId: string;
  originalRef: string;
}

/**
 * The one merge offered for a near report: the newer of the two becomes the duplicate of the older
 * (the older one has the history), unless that one is out of reach (another team's, or closed), then
 * the current report goes into the near one. Null when neither move is allowed.
 */
function mergeFor(report: PublicReport, near: NearbyItem, canAct: boolean): Merge | null {
  if (!canAct) return null;
  const current = { id: report.id, ref: report.ref };
  const other = { id: near.id, ref: near.ref };
  const canCloseCurrent = TRANSITIONS[report.status].includes('duplicate');
  const canCloseNear = near.isInScope && near.closedAt === null && TRANSITIONS[near.status].includes('duplicate');
  const isNearNewer = near.createdAt > report.createdAt;
  const into = (dup: typeof current, orig: typeof current) => ({
    duplicateId: dup.id,
    duplicateRef: dup.ref,
    originalId: orig.id,
    originalRef: orig.ref,
  });
  if (isNearNewer && canCloseNear) return into(other, current);
  if (canCloseCurrent) return into(current, other);
  if (canCloseNear) return into(other, current);
  return null;
}

/**
 * "Signalements proches": reports of the same category within 50 m, open or recently closed, each
 * with a one-click merge confirmed by a second tap. `onMerged` refreshes the detail and the queue.
 */
export function StaffNearby({
  report,
  canAct,
  onMerged,
}: {
  report: PublicReport;
  canAct: boolean;
  onMerged: () => void;
}) {
  const { t, formatDate } = useI18n();
  const [items, setItems] = useState<NearbyItem[] | null>(null);
  const [radius, setRadius] = useState(50);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(
    () =>
      fetchNearby(report.id).then(
        (body) => {
          setItems(body.reports);
          setRadius(body.radiusM);
        },
        () => setError(t('staff.nearby.failed')),
      ),
    [report.id, t],
  );
  useEffect(() => {
    void load();
  }, [load, report.status]);

  async function merge(merge: Merge) {
    setSending(true);
    setError(null);
    try {
      await transition(merge.duplicateId, { to: 'duplicate', duplicateOf: merge.originalId });
      setConfirming(null);
      setDone(t('staff.nearby.done', { dup: merge.duplicateRef, orig: merge.originalRef }));
      await load();
      onMerged();
    } catch (caught) {
      setError(describeActionFailure(caught, t));
    } finally {
      setSending(false);
    }
  }

  const titleId = `nearby-${report.id}`;
  return (
    <section className="staff-nearby" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('staff.nearby.title')}</h3>
      {items === null && !error && <p className="page-loading">{t('common.loading')}</p>}
      {items?.length === 0 && <p className="staff-nearby-empty">{t('staff.nearby.none', { m: radius })}</p>}
      <ActionOutcome done={done} error={error} doneClassName="staff-nearby-done" />
      {items && items.length > 0 && (
        <ul className="staff-nearby-list">
          {items.map((near) => {
            const action = mergeFor(report, near, canAct);
            const isCurrentDuplicate = action?.duplicateId === report.id;
            return (
              <li key={near.id} className="staff-nearby-item" data-testid="nearby-item">
                <p className="staff-nearby-head">
                  <a href={`/r/${near.ref}`}>{near.ref}</a>{' '}
                  <StatusBadge status={near.status} label={PUBLIC_STATUS[near.status].label} />{' '}
                  <span className="staff-nearby-meta">
                    {t('staff.nearby.distance', { m: near.distanceM })} · {formatDate(near.createdAt, 'short')}
                  </span>
                </p>
                {near.excerpt && <p className="staff-nearby-excerpt">{near.excerpt}</p>}
                <p className="staff-nearby-meta">
                  {t('staff.nearby.supports', { n: near.supportCount })} ·{' '}
                  {t('staff.nearby.followers', { n: near.followerCount })}
                </p>
                {action && confirming !== near.id && (
                  <button
                    type="button"
                    className="button button--secondary button--block"
                    onClick={() => {
                      setConfirming(near.id);
                      setDone(null);
                    }}
                  >
                    {isCurrentDuplicate
                      ? t('staff.nearby.markCurrent', { ref: near.ref })
                      : t('staff.nearby.markNear', { ref: near.ref })}
                  </button>
                )}
                {action && confirming === near.id && (
                  <div className="staff-nearby-confirm">
                    <p>{t('staff.nearby.confirmText', { dup: action.duplicateRef, orig: action.originalRef })}</p>
                    <button
                      type="button"
                      className="button button--primary button--block"
                      disabled={isSending}
                      onClick={() => void merge(action)}
                    >
                      {t('staff.nearby.confirm')}
                    </button>
                    <button type="button" className="button button--quiet" onClick={() => setConfirming(null)}>
                      {t('staff.nearby.cancel')}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
