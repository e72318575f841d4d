import { describe, expect, it } from 'vitest';
import { REPORT_STATUSES } from './reports';
import { canApplyBulkAction } from './staff';

describe('canApplyBulkAction', () => {
  it('offers acknowledge and resolve only where the state machine allows them, assign only on open reports', () => {
    const table = Object.fromEntries(
      REPORT_STATUSES.map((status) => [
        status,
        (['acknowledge', 'assign', 'resolve'] as const).filter((action) => canApplyBulkAction(action, status)),
      ]),
    );
    expect(table).toEqual({
      new: ['acknowledge', 'assign', 'resolve'],
      acknowledged: ['assign', 'resolve'],
      scheduled: ['acknowledge', 'assign', 'resolve'],
      in_progress: ['assign', 'resolve'],
      resolved: [],
      rejected: [],
      duplicate: [],
      transferred: [],
      reopened: ['acknowledge', 'assign', 'resolve'],
    });
  });
});
