import {
  pruneEventLog,
  purgeCitizenTokens,
  purgeClosedReportContacts,
  purgeExpiredOriginals,
  purgeStaffSessions,
  purgeUnconfirmedAlerts,
  sweepExpiredContent,
} from '@pave/core';
import type { JobDefinition, JobSchedule } from './job';

/**
 * Every hour at minute 17: away from the top of the hour, where the digests and most cron work of
 * the host start. Missing a run costs nothing, the next one deletes the same rows.
 */
// Live-event clients that were away longer than this reload instead of resuming (`reset`); an hour
// covers a laptop lid or a tunnel, and keeps the log to about an hour of changes (plus one of upkeep).
const EVENT_LOG_KEEP_SECONDS = 3_600;

export const UPKEEP_SCHEDULES: JobSchedule[] = [
  { id: 'upkeep-hourly', pattern: '17 * * * *', name: 'upkeep.hourly', data: {} },
];

/**
 * `upkeep.hourly`: deletes what is kept for no one — spent or expired magic links, sign-in states,
 * citizens' and staff sessions, area alerts never confirmed (an address someone typed, not
 * necessarily theirs), and the contact details of reports closed for CLOSED_REPORT_CONTACT_DAYS
 * (see contact-retention.repo.ts), the live events older than an hour (event-log.repo.ts), and the
 * free text and photos of reports closed past their retention period (retention.service.ts).
 * Plain deletes by date: running it twice, or on two workers at once, deletes nothing more.
 */
export const upkeepHourlyJob: JobDefinition<'upkeep.hourly'> = {
  name: 'upkeep.hourly',
  async handler(_payload, { deps, logger }) {
    const citizenTokens = await purgeCitizenTokens(deps.db);
    const staffSessions = await purgeStaffSessions(deps.db);
    const unconfirmedAlerts = await purgeUnconfirmedAlerts(deps.db);
    const closedContacts = await purgeClosedReportContacts(deps.db);
    const events = await pruneEventLog(deps.db, EVENT_LOG_KEEP_SECONDS);
    // Descriptions, comments and photos of reports closed past their status's period (docs/privacy.md).
    const erasedContent = await sweepExpiredContent(deps, deps.retention);
    // Photo uploads past their retention (photos.service.ts ORIGINAL_KEEP_DAYS).
    const photoOriginals = await purgeExpiredOriginals(deps);
    logger.info(
      { citizenTokens, staffSessions, unconfirmedAlerts, closedContacts, events, erasedContent, photoOriginals },
      'upkeep.hourly done',
    );
    return { citizenTokens, staffSessions, unconfirmedAlerts, closedContacts, events, erasedContent, photoOriginals };
  },
};
