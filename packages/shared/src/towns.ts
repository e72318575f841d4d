import { Type, type Static } from 'typebox';

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
