import { describe, expect, it } from 'vitest';
import { PUBLIC_STATUS, REPORT_STATUSES } from './reports';
import { canTransition, TRANSITIONS } from './state-machine';

describe('the report state machine', () => {
  it('lists every status, and only known statuses as targets', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...REPORT_STATUSES].sort());
    for (const targets of Object.values(TRANSITIONS)) for (const t of targets) expect(REPORT_STATUSES).toContain(t);
  });

  it('lets closed reports only reopen, and never lets a status go to itself or back to new', () => {
    for (const status of REPORT_STATUSES) {
      expect(canTransition(status, status)).toBe(false);
      expect(canTransition(status, 'new')).toBe(false);
      if (PUBLIC_STATUS[status].open311 === 'closed') expect(TRANSITIONS[status]).toEqual(['reopened']);
    }
  });

  it.each([
    ['new', 'acknowledged', true],
    ['acknowledged', 'scheduled', true],
    ['scheduled', 'in_progress', true],
    ['in_progress', 'resolved', true],
    ['resolved', 'reopened', true],
    ['reopened', 'acknowledged', true],
    ['resolved', 'in_progress', false],
    ['rejected', 'resolved', false],
    ['in_progress', 'duplicate', false],
    ['new', 'reopened', false],
  ] as const)('%s → %s: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });
});
