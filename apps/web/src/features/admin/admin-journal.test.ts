import type { AdminAuditEntry } from '@pave/shared';
import { describe, expect, it } from 'vitest';
import { fr, type MessageKey, type Messages } from '../../i18n/fr';
import { frStaff } from '../../i18n/fr-staff';
import { describeAuditEntry, formatJournalTime } from './admin-journal';

const FRENCH: Messages = { ...fr, ...frStaff };

/** The French messages, singular forms, with `{name}` placeholders filled: what the page shows. */
function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const message = FRENCH[key];
  const template = typeof message === 'string' ? message : message.other;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole));
}

const entry = (over: Partial<AdminAuditEntry>): AdminAuditEntry => ({
  id: 1,
  at: '2026-12-07T08:12:00Z',
  actor: { id: 1, email: 'amina.diallo@ville.test', displayName: 'Amina Diallo' },
  action: 'user.update',
  entity: 'user',
  entityId: '31',
  before: null,
  after: null,
  ...over,
});

describe('the journal in sentences', () => {
  it('dates an entry in Paris time, with the hour', () => {
    expect(formatJournalTime('2026-12-07T08:12:00Z', 'fr', t).replace(/\s/g, ' ')).toBe('7 déc. 2026 à 09:12');
  });

  it('says who changed whose role, from what to what', () => {
    const line = describeAuditEntry(
      entry({
        before: {
          email: 'paul@ville.test',
          displayName: 'Paul Martin',
          role: 'crew',
          team: 'voirie-11',
          isActive: true,
        },
        after: {
          email: 'paul@ville.test',
          displayName: 'Paul Martin',
          role: 'supervisor',
          team: 'voirie-11',
          isActive: true,
        },
      }),
      t,
    );
    expect(line).toBe('Amina Diallo a changé le rôle de Paul Martin : équipe → encadrement');
  });

  it('joins several changes of one account, and says a deactivation', () => {
    const line = describeAuditEntry(
      entry({
        before: { displayName: 'Paul Martin', role: 'crew', team: 'voirie-11', isActive: true },
        after: { displayName: 'Paul Martin', role: 'crew', team: null, isActive: false },
      }),
      t,
    );
    expect(line).toBe(
      'Amina Diallo a changé l’équipe de Paul Martin : voirie-11 → aucune et a désactivé le compte de Paul Martin',
    );
  });

  it('names teams, rules and unknown actions in words', () => {
    expect(
      describeAuditEntry(
        entry({ action: 'team.create', entity: 'team', after: { code: 'voirie-12', name: 'Voirie 12e' } }),
        t,
      ),
    ).toBe('Amina Diallo a créé l’équipe Voirie 12e (voirie-12)');
    expect(describeAuditEntry(entry({ action: 'rule.delete', entity: 'rule', entityId: '12' }), t)).toBe(
      'Amina Diallo a supprimé la règle d’aiguillage n° 12',
    );
    expect(describeAuditEntry(entry({ action: 'photo.purge', entity: 'photo', entityId: '9' }), t)).toBe(
      'Amina Diallo a fait « photo.purge » sur 9',
    );
  });
});
