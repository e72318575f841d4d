import { Type, type Static } from 'typebox';
import { LabelSchema } from './i18n';

/** How a report reached the city, like DansMaRue's channel letters. */
export const REPORT_CHANNELS = ['web', 'app', 'counter', 'phone', 'open311', 'email'] as const;
export type ReportChannel = (typeof REPORT_CHANNELS)[number];

/** The channels an agent files through on a resident's behalf. */
export const ASSISTED_CHANNELS = ['counter', 'phone', 'email'] as const;
export type AssistedChannel = (typeof ASSISTED_CHANNELS)[number];

export const CHANNEL_LABELS: Record<ReportChannel, { fr: string; en: string }> = {
  web: { fr: 'Site web', en: 'Website' },
  app: { fr: 'Application mobile', en: 'Mobile app' },
  counter: { fr: 'Accueil en mairie', en: 'Town-hall counter' },
  phone: { fr: 'Téléphone', en: 'Phone call' },
  open311: { fr: 'Open311 (applications partenaires)', en: 'Open311 (partner apps)' },
  email: { fr: 'Courriel', en: 'E-mail' },
};

/** Below this many answers an average says more about chance than about the service. */
export const MIN_SAMPLE_SIZE = 10;

/** `from`/`to` are `YYYY-MM-DD` Europe/Paris days, `to` inclusive; by default the last 365 days. */
export const FeedbackPeriodQuerySchema = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
});
export type FeedbackPeriodQuery = Static<typeof FeedbackPeriodQuerySchema>;

const FeedbackPeriodSchema = Type.Object({ from: Type.String(), to: Type.String() });

export const ChannelFiguresSchema = Type.Object({
  period: FeedbackPeriodSchema,
  total: Type.Integer(),
  channels: Type.Array(
    Type.Object({
      channel: Type.Enum(REPORT_CHANNELS),
      label: LabelSchema,
      count: Type.Integer(),
      share: Type.Number(),
      /** Median hours from filing to resolution, for those resolved; null when fewer than the sample size. */
      medianHoursToResolve: Type.Union([Type.Number(), Type.Null()]),
      resolvedCount: Type.Integer(),
    }),
  ),
});
export type ChannelFigures = Static<typeof ChannelFiguresSchema>;

const SatisfactionRowSchema = Type.Object({
  key: Type.String(),
  label: Type.String(),
  /** Answers to "is it fixed?" in the period. */
  answers: Type.Integer(),
  fixedShare: Type.Union([Type.Number(), Type.Null()]),
  /** Answers that gave a rating. */
  ratings: Type.Integer(),
  averageRating: Type.Union([Type.Number(), Type.Null()]),
  /** True when fewer than MIN_SAMPLE_SIZE ratings: the average is withheld. */
  insufficient: Type.Boolean(),
  medianHoursToResolve: Type.Union([Type.Number(), Type.Null()]),
});

export const SatisfactionFiguresSchema = Type.Object({
  period: FeedbackPeriodSchema,
  minSampleSize: Type.Integer(),
  overall: SatisfactionRowSchema,
  byCategory: Type.Array(SatisfactionRowSchema),
  byTeam: Type.Array(SatisfactionRowSchema),
  byChannel: Type.Array(SatisfactionRowSchema),
});
export type SatisfactionFigures = Static<typeof SatisfactionFiguresSchema>;
