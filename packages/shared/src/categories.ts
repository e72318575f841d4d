import { Type, type Static } from 'typebox';
import { LabelSchema } from './i18n';

/**
 * Bounds of a category's duplicate radius ("already reported?" and the crews' nearby list), in metres:
 * below 5 m a phone's GPS error decides, beyond 1 km a "duplicate" is another street. Default 50 m,
 * as DansMaRue. The database holds the same bounds (migration 004).
 */
export const DUPLICATE_RADIUS_LIMITS = { minM: 5, maxM: 1000, defaultM: 50 } as const;

/** Priority 1 is the most urgent. */
export const PrioritySchema = Type.Integer({ minimum: 1, maximum: 3 });

/** A sub-type: what a resident picks and what routing and deadlines key on. */
export const CategorySchema = Type.Object({
  code: Type.String(),
  label: LabelSchema,
  synonyms: Type.Array(Type.String()),
  deadlineHours: Type.Integer({ minimum: 1 }),
  defaultPriority: PrioritySchema,
  isSensitive: Type.Boolean(),
  /** Asked for a place (issue #19): the body that handles it there when the town does not (two-tier). */
  handledBy: Type.Optional(Type.String()),
});
export type Category = Static<typeof CategorySchema>;

export const CategoryGroupSchema = Type.Object({
  code: Type.String(),
  label: LabelSchema,
  categories: Type.Array(CategorySchema),
});
export type CategoryGroup = Static<typeof CategoryGroupSchema>;

export const CategoryTreeSchema = Type.Object({
  groups: Type.Array(CategoryGroupSchema),
  /** Codes of the most used sub-types lately, most used first: offered first in the form. */
  popular: Type.Optional(Type.Array(Type.String())),
  /** Asked for a place (`?lon=&lat=` or `?town=`): the town whose offer this is. */
  town: Type.Optional(Type.Object({ code: Type.String(), name: Type.String() })),
});
export type CategoryTree = Static<typeof CategoryTreeSchema>;

/** The short reference to a category carried by a report. */
export const CategoryRefSchema = Type.Object({
  code: Type.String(),
  label: LabelSchema,
  group: Type.Object({ code: Type.String(), label: LabelSchema }),
});
export type CategoryRef = Static<typeof CategoryRefSchema>;

/** A category a town offers, as listed when another one is refused (CATEGORY_NOT_OFFERED). */
export const OfferedCategoryRefSchema = Type.Object({ code: Type.String(), label: LabelSchema });
export type OfferedCategoryRef = Static<typeof OfferedCategoryRefSchema>;
