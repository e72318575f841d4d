import { useEffect, useState } from 'react';
import { navigate } from '../../../lib/router';
import { confirmFollow } from '../api/reports-api';
import { rememberMyReport } from '../lib/my-reports';

export type FollowConfirmation = 'none' | 'confirming' | 'confirmed' | 'failed';

/** The token of a confirmation mail's link (`/r/<ref>#suivre=<token>`), or null. */
function readConfirmationToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('suivre');
  return token && token.length <= 200 ? token : null;
}

/**
 * Opening the link of a follow-confirmation mail: the page posts its token (kept in the fragment, so
 * no server log, Referer or mail scanner's prefetch sees or spends it), then becomes the follower's
 * private page, remembered on this device like a report filed here.
 */
export function useFollowConfirmation(report: { id: string; ref: string } | null): FollowConfirmation {
  const [status, setStatus] = useState<FollowConfirmation>(() => (readConfirmationToken() ? 'confirming' : 'none'));
  const reportId = report?.id;
  const reportRef = report?.ref;
  useEffect(() => {
    const token = readConfirmationToken();
    if (!token || !reportId || !reportRef) return;
    let isCurrent = true;
    confirmFollow(reportId, token).then(
      ({ followerToken }) => {
        if (!isCurrent) return;
        const trackingUrl = `/r/${encodeURIComponent(reportRef)}?t=${encodeURIComponent(followerToken)}`;
        rememberMyReport({ ref: reportRef, trackingUrl });
        navigate(trackingUrl, { replace: true });
        setStatus('confirmed');
      },
      () => {
        if (!isCurrent) return;
        navigate(`/r/${encodeURIComponent(reportRef)}`, { replace: true });
        setStatus('failed');
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [reportId, reportRef]);
  return status;
}
