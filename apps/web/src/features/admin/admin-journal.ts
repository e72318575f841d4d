import type { AdminAuditEntry, Locale } from '@pave/shared';
import type { MessageKey } from '../../i18n/fr';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;
type Fields = Record<string, unknown>;

const INTL: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** "7 déc. 2026 à 09:12", in Paris time whatever the reader's clock says: the city's own time. */
export function formatJournalTime(iso: string, locale: Locale, t: Translate): string {
  const at = new Date(iso);
  const date = new Intl.DateTimeFormat(INTL[locale], {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  }).format(at);
  const time = new Intl.DateTimeFormat(INTL[locale], {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Europe/Paris',
  }).format(at);
  return t('admin.journal.at', { date, time });
}

function fields(value: unknown): Fields {
  return value && typeof value === 'object' ? (value as Fields) : {};
}

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** What the entry is about, by name: an account's name, a team's or area's name, a category's label. */
function subjectOf(entry: AdminAuditEntry): string {
  const after = fields(entry.after);
  const before = fields(entry.before);
  for (const key of ['displayName', 'name', 'labelFr', 'email', 'code']) {
    const value = text(after[key]) || text(before[key]);
    if (value) return value;
  }
  return entry.entityId;
}

const changed = (before: Fields, after: Fields, key: string) =>
  key in after && JSON.stringify(before[key]) !== JSON.stringify(after[key]);

/**
 * One journal line as a sentence: "Amina Diallo a changé le rôle de Paul Martin : équipe → encadrement".
 * An action this page does not know yet still reads as a sentence, naming the action's code.
 */
export function describeAuditEntry(entry: AdminAuditEntry, t: Translate): string {
  const actor = entry.actor.displayName || entry.actor.email;
  const name = subjectOf(entry);
  const before = fields(entry.before);
  const after = fields(entry.after);
  const role = (value: unknown) => {
    const code = text(value);
    return ['crew', 'supervisor', 'council', 'admin', 'agent'].includes(code)
      ? t(`staff.role.${code as 'crew'}`)
      : code;
  };
  const orNone = (value: unknown) => text(value) || t('admin.journal.none');

  switch (entry.action) {
    case 'user.create':
      return t('admin.journal.userCreate', { actor, name, role: role(after.role) });
    case 'user.update': {
      const parts: string[] = [];
      if (changed(before, after, 'role')) {
        parts.push(t('admin.journal.userRole', { name, from: role(before.role), to: role(after.role) }));
      }
      if (changed(before, after, 'team')) {
        parts.push(t('admin.journal.userTeam', { name, from: orNone(before.team), to: orNone(after.team) }));
      }
      if (changed(before, after, 'isActive')) {
        parts.push(t(after.isActive ? 'admin.journal.userOn' : 'admin.journal.userOff', { name }));
      }
      if (parts.length === 0) parts.push(t('admin.journal.userOther', { name }));
      return `${actor} ${parts.join(t('admin.journal.and'))}`;
    }
    case 'team.create':
      return t('admin.journal.teamCreate', { actor, name, code: text(after.code) });
    case 'team.update':
      return t('admin.journal.teamUpdate', { actor, name });
    case 'area.create':
      return t('admin.journal.areaCreate', { actor, name });
    case 'area.replace':
      return t('admin.journal.areaReplace', { actor, name });
    case 'category.update':
      return t('admin.journal.categoryUpdate', { actor, name });
    case 'rule.create':
      return t('admin.journal.ruleCreate', { actor, id: entry.entityId });
    case 'rule.update':
      return t('admin.journal.ruleUpdate', { actor, id: entry.entityId });
    case 'rule.deactivate':
      return t('admin.journal.ruleDeactivate', { actor, id: entry.entityId });
    case 'rule.delete':
      return t('admin.journal.ruleDelete', { actor, id: entry.entityId });
    case 'costs.update':
      return t('admin.journal.costsUpdate', { actor });
    case 'rule.reorder':
      return t('admin.journal.ruleReorder', { actor });
    default:
      return t('admin.journal.other', { actor, action: entry.action, name });
  }
}
