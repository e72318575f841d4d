import { Type, type Static } from 'typebox';
import { REPORT_CHANNELS, type ReportChannel } from './channels';
import { LabelSchema } from './i18n';

/** The channels through which a resident reports without an agent: what the digital share counts. */
export const DIGITAL_CHANNELS = ['web', 'app', 'open311'] as const satisfies readonly ReportChannel[];

/** The largest unit cost an admin may set: 1,000,000 € in cents (a typing error beyond). */
export const UNIT_COST_MAX_CENTS = 100_000_000;

export const UnitCostsSchema = Type.Object({
  costs: Type.Array(
    Type.Object({
      channel: Type.Enum(REPORT_CHANNELS),
      label: LabelSchema,
      /** Euro cents per report; null when not set. */
      costCents: Type.Union([Type.Integer(), Type.Null()]),
      updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
  ),
});
export type UnitCosts = Static<typeof UnitCostsSchema>;

/**
 * Set the cost of some channels, or clear it (`costCents` left out); the others are left as they are.
 * Not `null` for "clear": the API's validator coerces types, and would read null as 0 (a real cost).
 */
export const UnitCostsPutSchema = Type.Object({
  costs: Type.Array(
    Type.Object({
      channel: Type.Enum(REPORT_CHANNELS),
      costCents: Type.Optional(Type.Integer({ minimum: 0, maximum: UNIT_COST_MAX_CENTS })),
    }),
    { minItems: 1, maxItems: REPORT_CHANNELS.length },
  ),
});
export type UnitCostsPut = Static<typeof UnitCostsPutSchema>;

const ChannelCountsSchema = Type.Record(Type.String(), Type.Integer(), {
  description: 'Reports per channel code; channels without reports left out',
});

export const EvaluationSchema = Type.Object({
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  total: Type.Integer(),
  /** Reports created each month (Europe/Paris), per channel, oldest first. */
  months: Type.Array(Type.Object({ month: Type.String(), total: Type.Integer(), byChannel: ChannelCountsSchema })),
  channels: Type.Array(
    Type.Object({
      channel: Type.Enum(REPORT_CHANNELS),
      label: LabelSchema,
      count: Type.Integer(),
      resolvedCount: Type.Integer(),
      /** Hours from filing to resolution; null under the sample size. */
      medianHoursToResolve: Type.Union([Type.Number(), Type.Null()]),
      unitCostCents: Type.Union([Type.Integer(), Type.Null()]),
      /** count × unit cost; null when the unit cost is not set. */
      costCents: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
  teams: Type.Array(
    Type.Object({
      /** null: reports not routed to a team. */
      code: Type.Union([Type.String(), Type.Null()]),
      name: Type.Union([Type.String(), Type.Null()]),
      count: Type.Integer(),
      byChannel: ChannelCountsSchema,
      /** Sum of its reports' unit costs; null when one of its channels has no cost set. */
      costCents: Type.Union([Type.Integer(), Type.Null()]),
      costPerReportCents: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
  digital: Type.Object({
    count: Type.Integer(),
    total: Type.Integer(),
    share: Type.Union([Type.Number(), Type.Null()]),
    /** What the digital reports would have cost through the assisted channels, minus what they cost. */
    savingsCents: Type.Union([Type.Integer(), Type.Null()]),
    /** The assisted channels' average unit cost, weighted by their reports (a plain mean without any). */
    assistedUnitCostCents: Type.Union([Type.Number(), Type.Null()]),
    digitalUnitCostCents: Type.Union([Type.Number(), Type.Null()]),
  }),
});
export type Evaluation = Static<typeof EvaluationSchema>;
