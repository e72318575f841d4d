import { backfillReportAddresses } from '@pave/core';
import type { JobDefinition } from './job';

/**
 * `addresses.backfill`: gives every report without an address the one at its point, from the index
 * as it now is. Each report is looked up once per run; a retry or a second run changes nothing already
 * filled, and looks once more at those the index places nowhere.
 */
export const addressesBackfillJob: JobDefinition<'addresses.backfill'> = {
  name: 'addresses.backfill',
  async handler({ importedAt }, { deps, logger }) {
    const result = await backfillReportAddresses(deps.db);
    logger.info({ importedAt, ...result }, 'addresses.backfill done');
    return result;
  },
};
