import { PUBLIC_STATUS, type JobPayload } from '@pave/shared';
import { escapeHtml, type NotifyDeps } from './notifications.service';
import { findSentRecipients, markNotificationSent } from './notifications.repo';

interface LateReport {
  ref: string;
  status: keyof typeof PUBLIC_STATUS;
  deadline_at: Date | null;
  category_fr: string;
  area_name: string | null;
  team_name: string | null;
  team_email: string | null;
  team_id: number | null;
}

/**
 * A deadline check: if the report is still open with the same deadline, tells its team (the team's
 * address and its crew) and the supervisors of its service, once per recipient. A report closed or
 * re-routed since is left alone.
 */
export async function notifyIfLate(
  deps: NotifyDeps,
  payload: JobPayload<'report.late'>,
): Promise<{ outcome: 'closed' | 'rescheduled' | 'missing' | 'notified'; sent: number }> {
  const { rows } = await deps.db.query<LateReport>(
    `SELECT r.ref, r.status, r.deadline_at, c.label_fr AS category_fr, a.name AS area_name,
            t.name AS team_name, t.email AS team_email, t.id AS team_id
       FROM reports r JOIN categories c ON c.id = r.category_id
       LEFT JOIN service_areas a ON a.id = r.area_id LEFT JOIN teams t ON t.id = r.team_id
      WHERE r.id = $1`,
    [payload.reportId],
  );
  const report = rows[0];
  if (!report) return { outcome: 'missing', sent: 0 };
  if (PUBLIC_STATUS[report.status].open311 === 'closed') return { outcome: 'closed', sent: 0 };
  if (report.deadline_at?.getTime() !== Date.parse(payload.deadlineAt)) return { outcome: 'rescheduled', sent: 0 };

  // One private history entry per check, reused by a retried job so nobody is mailed twice.
  const { rows: entry } = await deps.db.query<{ id: string }>(
    `WITH existing AS (
       SELECT id FROM report_history
        WHERE report_id = $1 AND event = 'late' AND data->>'level' = $2 AND data->>'deadlineAt' = $3)
     , created AS (
       INSERT INTO report_history (report_id, actor, event, is_public, data)
       SELECT $1, 'system', 'late', false, jsonb_build_object('level', $2::text, 'deadlineAt', $3::text)
        WHERE NOT EXISTS (SELECT 1 FROM existing) RETURNING id)
     SELECT id FROM existing UNION ALL SELECT id FROM created`,
    [payload.reportId, payload.level, payload.deadlineAt],
  );
  const historyId = entry[0]!.id;
  const { rows: staff } = await deps.db.query<{ email: string }>(
    `SELECT email FROM staff_users
      WHERE is_active AND ((role = 'crew' AND team_id = $1)
         OR (role = 'supervisor' AND service = (SELECT service FROM teams WHERE id = $1)))`,
    [report.team_id],
  );
  const recipients = [...new Set([...(report.team_email ? [report.team_email] : []), ...staff.map((s) => s.email)])];
  const already = await findSentRecipients(deps.db, historyId);
  const isVeryLate = payload.level === 'very_late';
  const subject = `${isVeryLate ? 'Très en retard' : 'En retard'} : ${report.ref} — ${report.category_fr}`;
  const link = `${deps.publicBaseUrl.replace(/\/$/, '')}/staff`;
  let sent = 0;
  for (const to of recipients) {
    if (already.has(to)) continue;
    const text = [
      `Le signalement ${report.ref} « ${report.category_fr} »${report.area_name ? ` (${report.area_name})` : ''} confié à ${report.team_name ?? 'votre équipe'} ${isVeryLate ? 'a dépassé deux fois son délai' : 'a dépassé son délai'} (échéance ${new Date(payload.deadlineAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}).`,
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
