import type { Label } from './i18n';
import type { ReportStatus } from './reports';

/**
 * Ready-made public messages for the crews' most frequent answers, offered in the report detail to
 * fill the message field (still editable). French first: it is what residents read. A "…" marks the
 * place the crew completes. These are the defaults migration 023 seeds; admins manage the live ones
 * (`message_templates`, see city-voice.ts).
 */
export const MESSAGE_TEMPLATES = [
  {
    code: 'fixed',
    for: ['resolved'],
    text: {
      fr: 'Intervention réalisée, merci pour votre signalement.',
      en: 'The work is done, thank you for your report.',
    },
  },
  {
    code: 'fixed-temporary',
    for: ['resolved'],
    text: {
      fr: 'Une réparation provisoire a été faite pour sécuriser les lieux ; une réfection complète suivra.',
      en: 'A temporary repair makes the place safe; a full repair will follow.',
    },
  },
  {
    code: 'already-fixed',
    for: ['resolved'],
    text: {
      fr: 'Nos équipes sont passées : le problème avait déjà été traité. Merci pour votre vigilance.',
      en: 'Our crew went there: the problem had already been dealt with. Thank you for your vigilance.',
    },
  },
  {
    code: 'other-service',
    for: ['rejected', 'transferred'],
    text: {
      fr: 'Ce problème relève d’un autre service : …',
      en: 'This problem is handled by another service: …',
    },
  },
  {
    code: 'private-property',
    for: ['rejected'],
    text: {
      fr: 'Ce lieu est situé sur le domaine privé : c’est au propriétaire ou au syndic d’intervenir.',
      en: 'This place is private property: the owner or the building manager must act.',
    },
  },
  {
    code: 'not-found',
    for: ['rejected'],
    text: {
      fr: 'Nos équipes n’ont pas trouvé le problème à l’adresse indiquée. N’hésitez pas à faire un nouveau signalement avec une photo.',
      en: 'Our crew could not find the problem at this address. Feel free to report it again with a photo.',
    },
  },
  {
    code: 'scheduled',
    for: ['scheduled'],
    text: {
      fr: 'Une intervention est programmée. Merci de votre patience.',
      en: 'The work is scheduled. Thank you for your patience.',
    },
  },
  {
    code: 'scheduled-works',
    for: ['scheduled'],
    text: {
      fr: 'Le problème sera traité lors de travaux déjà prévus dans la rue : …',
      en: 'The problem will be fixed during works already planned in the street: …',
    },
  },
] as const satisfies readonly { code: string; for: readonly ReportStatus[]; text: Label }[];

export type MessageTemplate = (typeof MESSAGE_TEMPLATES)[number];

/** The templates offered for a move to `status` (none for the other statuses). */
export function findMessageTemplates(status: ReportStatus): readonly MessageTemplate[] {
  return MESSAGE_TEMPLATES.filter((t) => (t.for as readonly ReportStatus[]).includes(status));
}
