import { Type, type Static } from 'typebox';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in every UI language; French is the reference. */
export const LabelSchema = Type.Object({ fr: Type.String(), en: Type.String() });
export type Label = Static<typeof LabelSchema>;
