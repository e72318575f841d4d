import { Type, type Static } from 'typebox';

export const AreaFeatureCollectionSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.String(),
      geometry: Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Unknown()) }),
      properties: Type.Object({ code: Type.String(), name: Type.String() }),
    }),
  ),
});
export type AreaFeatureCollection = Static<typeof AreaFeatureCollectionSchema>;

/** What the web app needs to know at run time (so the tile URL is configuration, not a build input). */
export const PublicConfigSchema = Type.Object({
  tileUrl: Type.String(),
  tileAttribution: Type.String(),
  /** `[lon, lat]` */
  mapCenter: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }),
  mapZoom: Type.Integer(),
});
export type PublicConfig = Static<typeof PublicConfigSchema>;
