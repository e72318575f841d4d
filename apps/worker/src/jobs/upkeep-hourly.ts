import { purgeCitizenTokens, purgeClosedReportContacts, purgeStaffSessions, purgeUnconfirmedAlerts } from '@pave/core';
import type { JobDefinition, JobSchedule } from './job';

/**
 * Every hour at minute 17: away from the top of the hour, where the digests and most cron work of
 * the host start. Missing a run costs nothing, the next one deletes the same rows.
 */
export const UPKEEP_SCHEDULES: JobSchedule[] = [
  { id: 'upkeep-hourly', pattern: '17 * * * *', name: 'upkeep.hourly', data: {} },
];

/**
 * `upkeep.hourly`: deletes what is kept for no one — spent or expired magic links, sign-in states,
 * citizens' and staff sessions, area alerts never confirmed (an address someone typed, not
 * necessarily theirs), and the contact details of reports closed for CLOSED_REPORT_CONTACT_DAYS
 * (see contact-retention.repo.ts).
 * Plain deletes by date: running it twice, or on two workers at once, deletes nothing more.
 */
export const upkeepHourlyJob: JobDefinition<'upkeep.hourly'> = {
  name: 'upkeep.hourly',
  async handler(_payload, { deps, logger }) {
    const citizenTokens = await purgeCitizenTokens(deps.db);
    const staffSessions = await purgeStaffSessions(deps.db);
    const unconfirmedAlerts = await purgeUnconfirmedAlerts(deps.db);
    const closedContacts = await purgeClosedReportContacts(deps.db);
    logger.info({ citizenTokens, staffSessions, unconfirmedAlerts, closedContacts }, 'upkeep.hourly done');
    return { citizenTokens, staffSessions, unconfirmedAlerts, closedContacts };
  },
};
