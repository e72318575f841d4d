import { Type, type Static } from 'typebox';

/** Who may hide or edit what residents wrote: supervisors and admins; crews, council and agents may not. */
export const MODERATOR_ROLES = ['supervisor', 'admin'] as const;

export const FLAG_REASONS = ['insult', 'personal_data', 'spam', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export const FLAG_TARGETS = ['report', 'comment', 'photo'] as const;
export type FlagTarget = (typeof FLAG_TARGETS)[number];

export const MODERATION_LIMITS = {
  reasonMaxLength: 500,
  textMaxLength: 4000,
  /** Flags one client may send per hour. */
  flagsPerClientPerHour: 10,
  wordsMax: 500,
} as const;

/** The public's view of moderated text, in the city's language (the web shows its own translation). */
export const MODERATION_NOTICE = { fr: 'Masqué par la modération', en: 'Hidden by moderation' } as const;

/** A resident's "this is abusive": the report itself, one of its comments, or one of its photos. */
export const FlagBodySchema = Type.Object({
  target: Type.Enum(FLAG_TARGETS),
  /** The comment's id (timeline `commentId`) or the photo's id; absent for the report. */
  targetId: Type.Optional(Type.String({ maxLength: 64 })),
  reason: Type.Enum(FLAG_REASONS),
});
export type FlagBody = Static<typeof FlagBodySchema>;

export const FlagAcceptedSchema = Type.Object({ ok: Type.Boolean() });

/** A moderator's action on a description or a comment (`edit` needs `text`), or on a photo (hide/restore). */
export const ModerationActionBodySchema = Type.Object({
  action: Type.Enum(['hide', 'edit', 'restore', 'publish']),
  reason: Type.String({ maxLength: MODERATION_LIMITS.reasonMaxLength }),
  text: Type.Optional(Type.String({ maxLength: MODERATION_LIMITS.textMaxLength })),
});
export type ModerationActionBody = Static<typeof ModerationActionBodySchema>;

/** One recorded action: who, when, why, and the text before it. Staff only. */
export const ModerationActionSchema = Type.Object({
  id: Type.String(),
  reportId: Type.String(),
  targetKind: Type.Enum(['description', 'comment', 'photo']),
  targetId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  reason: Type.String(),
  originalText: Type.Union([Type.String(), Type.Null()]),
  newText: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Object({ id: Type.Integer(), name: Type.String() }),
  at: Type.String({ format: 'date-time' }),
});
export type ModerationAction = Static<typeof ModerationActionSchema>;
export const ModerationActionsSchema = Type.Object({ actions: Type.Array(ModerationActionSchema) });
export type ModerationActions = Static<typeof ModerationActionsSchema>;

/** One item of the moderation queue: flagged content with its open flag count, or a held comment. */
export const ModerationQueueItemSchema = Type.Object({
  reportId: Type.String(),
  ref: Type.String(),
  target: Type.Enum(FLAG_TARGETS),
  targetId: Type.Union([Type.String(), Type.Null()]),
  /** The text in question as written (staff see the original), or null for a photo. */
  text: Type.Union([Type.String(), Type.Null()]),
  photoUrl: Type.Union([Type.String(), Type.Null()]),
  flagCount: Type.Integer(),
  reasons: Type.Array(Type.String()),
  /** A comment the word list held back: not public until published. */
  isHeld: Type.Boolean(),
  isHidden: Type.Boolean(),
  firstAt: Type.String({ format: 'date-time' }),
});
export type ModerationQueueItem = Static<typeof ModerationQueueItemSchema>;
export const ModerationQueueSchema = Type.Object({ items: Type.Array(ModerationQueueItemSchema) });
export type ModerationQueue = Static<typeof ModerationQueueSchema>;

/** Closes the open flags of one target: dismissed (nothing wrong) or hidden (hides it too, with `reason`). */
export const ResolveFlagsBodySchema = Type.Object({
  reportId: Type.String({ maxLength: 64 }),
  target: Type.Enum(FLAG_TARGETS),
  targetId: Type.Optional(Type.String({ maxLength: 64 })),
  outcome: Type.Enum(['dismissed', 'hidden']),
  reason: Type.Optional(Type.String({ maxLength: MODERATION_LIMITS.reasonMaxLength })),
});
export type ResolveFlagsBody = Static<typeof ResolveFlagsBodySchema>;
export const ResolvedFlagsSchema = Type.Object({ resolved: Type.Integer() });

export const ModerationWordsSchema = Type.Object({
  words: Type.Array(Type.String({ maxLength: 60 }), { maxItems: MODERATION_LIMITS.wordsMax }),
});
export type ModerationWords = Static<typeof ModerationWordsSchema>;

/** Lower case without accents: « Connard » and « connârd » are the same word to the list. */
export function normaliseWord(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The listed words `text` contains as whole words (accents and case aside), in list order. */
export function findListedWords(text: string, words: readonly string[]): string[] {
  const tokens = new Set(normaliseWord(text).split(/[^\p{L}\p{N}]+/u));
  const phrase = ` ${normaliseWord(text)
    .split(/[^\p{L}\p{N}]+/u)
    .join(' ')} `;
  return words.filter((w) => {
    const word = normaliseWord(w).trim();
    return word.includes(' ') ? phrase.includes(` ${word} `) : tokens.has(word);
  });
}
