import { CITY_TIME_ZONE, PUBLIC_STATUS, type JobPayload } from '@pave/shared';
import { escapeHtml, type NotifyDeps } from './notifications.service';
import {
  findLateReport,
  findSentRecipients,
  findTeamStaffEmails,
  markNotificationSent,
  recordLateCheck,
} from './notifications.repo';

/**
 * A deadline check: if the report is still open with the same deadline, tells its team (the team's
 * address and its crew) and the supervisors of its service, once per recipient. A report closed or
 * re-routed since is left alone.
 */
export async function notifyIfLate(
  deps: NotifyDeps,
  payload: JobPayload<'report.late'>,
): Promise<{ outcome: 'closed' | 'rescheduled' | 'missing' | 'notified'; sent: number }> {
  const report = await findLateReport(deps.db, payload.reportId);
  if (!report) return { outcome: 'missing', sent: 0 };
  if (PUBLIC_STATUS[report.status].open311 === 'closed') return { outcome: 'closed', sent: 0 };
  if (report.deadline_at?.getTime() !== Date.parse(payload.deadlineAt)) return { outcome: 'rescheduled', sent: 0 };

  const historyId = await recordLateCheck(deps.db, payload);
  const staff = await findTeamStaffEmails(deps.db, report.team_id);
  const recipients = [...new Set([...(report.team_email ? [report.team_email] : []), ...staff])];
  const already = await findSentRecipients(deps.db, historyId);
  const isVeryLate = payload.level === 'very_late';
  const subject = `${isVeryLate ? 'Très en retard' : 'En retard'} : ${report.ref} — ${report.category_fr}`;
  const link = `${deps.publicBaseUrl.replace(/\/$/, '')}/staff`;
  let sent = 0;
  for (const to of recipients) {
    if (already.has(to)) continue;
    const text = [
      `Le signalement ${report.ref} « ${report.category_fr} »${report.area_name ? ` (${report.area_name})` : ''} confié à ${report.team_name ?? 'votre équipe'} ${isVeryLate ? 'a dépassé deux fois son délai' : 'a dépassé son délai'} (échéance ${new Date(payload.deadlineAt).toLocaleString('fr-FR', { timeZone: CITY_TIME_ZONE })}).`,
      ...(report.address ? [`Adresse : ${report.address}`] : []),
      `État : ${PUBLIC_STATUS[report.status].label.fr}.`,
      `File des signalements : ${link}`,
    ].join('\n');
    await deps.mailer.send({
      to,
      subject,
      text,
      html: text
        .split('\n')
        .map((l) => `<p>${escapeHtml(l)}</p>`)
        .join(''),
    });
    await markNotificationSent(deps.db, historyId, to);
    sent += 1;
  }
  return { outcome: 'notified', sent };
}
