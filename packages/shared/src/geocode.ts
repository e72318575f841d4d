import { Type, type Static } from 'typebox';

/**
 * What an address answer points at: a numbered address from the index, a street (the number is
 * unknown, or was not given), or only the service area around a point.
 */
export const AddressKindSchema = Type.Union([Type.Literal('address'), Type.Literal('street'), Type.Literal('area')]);
export type AddressKind = Static<typeof AddressKindSchema>;

/** An address the search found, with its point and how well it matches the query (0–1). */
export const AddressSuggestionSchema = Type.Object({
  label: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  kind: Type.Union([Type.Literal('address'), Type.Literal('street')]),
  /** The BAN id of a numbered address; null for a street. */
  id: Type.Union([Type.String(), Type.Null()]),
  score: Type.Number({ minimum: 0, maximum: 1 }),
});
export type AddressSuggestion = Static<typeof AddressSuggestionSchema>;

export const AddressSuggestionsSchema = Type.Object({ results: Type.Array(AddressSuggestionSchema) });
export type AddressSuggestions = Static<typeof AddressSuggestionsSchema>;

/** The address closest to a point: within 50 m, else the nearest street, else the area's name. */
export const AddressLabelSchema = Type.Object({
  label: Type.String(),
  kind: AddressKindSchema,
  id: Type.Union([Type.String(), Type.Null()]),
  /** Metres from the point to the address or street given; null for an area. */
  metres: Type.Union([Type.Number(), Type.Null()]),
});
export type AddressLabel = Static<typeof AddressLabelSchema>;

/** How far a reverse lookup looks for a numbered address, then for a street. */
export const REVERSE_ADDRESS_METRES = 50;
export const REVERSE_STREET_METRES = 200;
