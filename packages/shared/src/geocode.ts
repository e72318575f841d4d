import { Type, type Static } from 'typebox';

/** An address the geocoder found, with its point. */
export const AddressSuggestionSchema = Type.Object({ label: Type.String(), lon: Type.Number(), lat: Type.Number() });
export type AddressSuggestion = Static<typeof AddressSuggestionSchema>;

export const AddressSuggestionsSchema = Type.Object({ results: Type.Array(AddressSuggestionSchema) });
export type AddressSuggestions = Static<typeof AddressSuggestionsSchema>;

/** The address closest to a point. */
export const AddressLabelSchema = Type.Object({ label: Type.String() });
export type AddressLabel = Static<typeof AddressLabelSchema>;
