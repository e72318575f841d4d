import { Type, type Static } from 'typebox';
import { LabelSchema } from './i18n';

/**
 * A town (jurisdiction, issue #19): an INSEE commune the deployment knows. `isServed`: reports are
 * taken there (a known town that is not served is still named, so a resident learns whose it is).
 */
export const TownSchema = Type.Object({
  /** INSEE commune code, e.g. `75056` (Paris), `93048` (Montreuil). */
  code: Type.String({ pattern: '^(\\d{2}|2A|2B)\\d{3}$' }),
  name: Type.String(),
  isServed: Type.Boolean(),
});
export type Town = Static<typeof TownSchema>;

export const TownFeatureCollectionSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.String(),
      geometry: Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Unknown()) }),
      properties: TownSchema,
    }),
  ),
});
export type TownFeatureCollection = Static<typeof TownFeatureCollectionSchema>;

/** How far outside every town a point may lie and still be given the nearest one (a pin on the river bank). */
export const TOWN_SNAP_METRES = 30;

/** A public report as a town's page lists it. */
export const TownReportSchema = Type.Object({
  id: Type.String(),
  ref: Type.String(),
  status: Type.String(),
  category: Type.Object({ code: Type.String(), label: LabelSchema }),
  address: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

/** A town's public page (`/villes/:code`): its branding, a few figures and its latest public reports. */
export const TownPageSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  /** `#rrggbb`, or null for the site's own colours. */
  brandColour: Type.Union([Type.String(), Type.Null()]),
  /** An https URL or a path on this site; null when the town has none. */
  logoUrl: Type.Union([Type.String(), Type.Null()]),
  figures: Type.Object({
    total: Type.Integer(),
    open: Type.Integer(),
    resolvedLast30Days: Type.Integer(),
  }),
  reports: Type.Array(TownReportSchema),
});
export type TownPage = Static<typeof TownPageSchema>;
