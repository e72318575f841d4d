import {
  ASSISTED_CHANNELS,
  AppError,
  isLatitude,
  isLongitude,
  type AssistedChannel,
  type CreatedReport,
} from '@pave/shared';
import { appendReportHistory } from '../reports/reports.repo';
import { createReport, type ReportDeps } from '../reports/reports.service';
import { findTown, findTownAt } from '../towns/towns.repo';
import { requireRole } from './roles';
import type { StaffUser } from './staff.repo';

export interface AssistedReportInput {
  channel: string;
  category?: string;
  lat?: number;
  lon?: number;
  description?: string;
  severity?: string;
  /** The resident's address: they then get the usual mails and their private follow link. */
  residentEmail?: string;
  /** `fr` or `en`: the language of the resident's mails (French unless said). */
  residentLanguage?: string;
}

/**
 * An agent (counter, call centre) files a report for a resident. The report goes through the same
 * validation and transaction as a resident's own; the channel is recorded on it, and the agent in an
 * internal history entry (never on the public timeline).
 */
export async function fileAssistedReport(
  deps: ReportDeps,
  user: StaffUser,
  input: AssistedReportInput,
): Promise<CreatedReport> {
  requireRole(user, ['agent', 'supervisor', 'admin']);
  const channel = input.channel as AssistedChannel;
  if (!ASSISTED_CHANNELS.includes(channel)) {
    throw new AppError('CHANNEL_INVALID', `channel must be one of ${ASSISTED_CHANNELS.join(', ')}.`);
  }
  await refuseOutsideOwnTown(deps, user, input);
  return createReport(deps, {
    category: input.category,
    lat: input.lat === undefined ? undefined : String(input.lat),
    lon: input.lon === undefined ? undefined : String(input.lon),
    description: input.description,
    severity: input.severity,
    email: input.residentEmail,
    language: input.residentLanguage,
    photos: [],
    source: 'assisted',
    channel,
    onCreated: async (tx, report) => {
      await appendReportHistory(tx, {
        reportId: report.id,
        actor: `staff:${user.id}`,
        event: 'assisted_filing',
        isPublic: false,
        data: { channel, hasResidentEmail: Boolean(input.residentEmail?.trim()) },
      });
    },
  });
}

/**
 * An agent of one town files reports in that town (issue #19): the report would be another town's,
 * which they could then neither read nor follow. A metropolitan account files anywhere. Checked before
 * the report's own validation, which answers a malformed or missing position itself.
 */
async function refuseOutsideOwnTown(deps: ReportDeps, user: StaffUser, input: AssistedReportInput): Promise<void> {
  const { lon, lat } = input;
  if (user.townCode === null || lon === undefined || lat === undefined) return;
  if (!isLongitude(lon) || !isLatitude(lat)) return;
  const [there, own] = await Promise.all([findTownAt(deps.db, lon, lat), findTown(deps.db, user.townCode)]);
  if (there?.code === user.townCode) return;
  const ownName = own?.name ?? user.townCode;
  throw new AppError(
    'LOCATION_OUTSIDE_SERVICE_AREA',
    there
      ? `This point is in ${there.name}; your account files reports in ${ownName} only.`
      : `This point is outside ${ownName}; your account files reports in ${ownName} only.`,
  );
}
