import { Type, type Static } from 'typebox';

/**
 * Area alerts: a digest e-mail of new reports and resolutions in an area. Bounds keep an alert about
 * a neighbourhood: a "whole city" alert would be a mail of thousands of lines.
 */
export const ALERT_LIMITS = {
  minRadiusM: 50,
  maxRadiusM: 2000,
  /** Paris is 105 km²: an alert area may cover about two cities' worth, not a country. */
  maxAreaKm2: 200,
  /** Points of a drawn polygon. */
  maxVertices: 2000,
  maxCategories: 50,
  /** Lines of one digest; the rest is summed up with a link to the map. */
  maxDigestItems: 50,
} as const;

export const ALERT_FREQUENCIES = ['daily', 'weekly'] as const;
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];

const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 2 });
const Ring = Type.Array(Position, { minItems: 4, maxItems: ALERT_LIMITS.maxVertices });

/** An arrondissement (service area code), a circle around a point, or a drawn GeoJSON (Multi)Polygon. */
export const AlertAreaSchema = Type.Union([
  Type.Object({ areaCode: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false }),
  Type.Object(
    {
      /** `[lon, lat]` */
      center: Position,
      radiusM: Type.Number(),
      /** The address the circle is drawn around, repeated in the mails. */
      label: Type.Optional(Type.String({ maxLength: 200 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      polygon: Type.Union([
        Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { minItems: 1, maxItems: 20 }) }),
        Type.Object({
          type: Type.Literal('MultiPolygon'),
          coordinates: Type.Array(Type.Array(Ring, { minItems: 1, maxItems: 20 }), { minItems: 1, maxItems: 20 }),
        }),
      ]),
      label: Type.Optional(Type.String({ maxLength: 200 })),
    },
    { additionalProperties: false },
  ),
]);
export type AlertArea = Static<typeof AlertAreaSchema>;

export const CreateAlertSchema = Type.Object({
  email: Type.String({ maxLength: 254 }),
  area: AlertAreaSchema,
  /** Category codes; none (and no group) means every category. */
  categories: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: ALERT_LIMITS.maxCategories })),
  /** Category group codes. */
  groups: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: ALERT_LIMITS.maxCategories })),
  frequency: Type.Enum(ALERT_FREQUENCIES),
});
export type CreateAlert = Static<typeof CreateAlertSchema>;

/** The two links an alert mail carries: `/api/alerts/<purpose>/<token>`. */
export type AlertLinkPurpose = 'confirm' | 'unsubscribe';

/** What the holder of an alert's link sees: never the e-mail address. */
export const AlertViewSchema = Type.Object({
  areaLabel: Type.String(),
  frequency: Type.Enum(ALERT_FREQUENCIES),
  state: Type.Enum(['pending', 'active', 'unsubscribed']),
});
export type AlertView = Static<typeof AlertViewSchema>;

/** The answer to a new alert: nothing is sent until the confirmation link is opened. */
export const AlertPendingSchema = Type.Object({ status: Type.Literal('pending') });
export type AlertPending = Static<typeof AlertPendingSchema>;
