import { Type, type Static } from 'typebox';
import { LabelSchema } from './i18n';

/** How much of a description the suggestions read: the first words say what the problem is. */
export const SUGGESTION_LIMITS = { textMaxLength: 1000, maxResults: 3 } as const;

/**
 * `POST /api/categories/suggestions`: a description, a point, or both (coordinates as strings, parsed
 * strictly). A body, not a query string: a draft description and a precise position stay out of URLs
 * and request logs.
 */
export const SuggestionQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: SUGGESTION_LIMITS.textMaxLength })),
  lon: Type.Optional(Type.String({ maxLength: 40 })),
  lat: Type.Optional(Type.String({ maxLength: 40 })),
});
export type SuggestionQuery = Static<typeof SuggestionQuerySchema>;

/** One suggested sub-type, with its group, and its share of the model's belief (0–1). */
export const CategorySuggestionSchema = Type.Object({
  code: Type.String(),
  label: LabelSchema,
  group: Type.Object({ code: Type.String(), label: LabelSchema }),
  score: Type.Number({ minimum: 0, maximum: 1 }),
});
export type CategorySuggestion = Static<typeof CategorySuggestionSchema>;

export const CategorySuggestionsSchema = Type.Object({ suggestions: Type.Array(CategorySuggestionSchema) });
export type CategorySuggestions = Static<typeof CategorySuggestionsSchema>;
