import { Type, type Static } from 'typebox';
import { LabelSchema, LOCALES } from './i18n';
import { ReportStatusSchema } from './reports';

/** What a citizen may choose to receive by e-mail. Part 2 (area alerts) adds its own keys here. */
export const EmailPrefsSchema = Type.Object({
  /** Status changes of the reports one filed while signed in go to the account's address. */
  reportUpdates: Type.Boolean(),
});
export type EmailPrefs = Static<typeof EmailPrefsSchema>;

export const CITIZEN_LIMITS = {
  displayNameMaxLength: 80,
  /** A magic link opens one session, once, within this many minutes. */
  magicLinkMinutes: 15,
  /** An OpenID Connect sign-in must come back within this many minutes. */
  oidcStateMinutes: 10,
  sessionDays: 30,
  returnToMaxLength: 500,
} as const;

/** The signed-in citizen's own profile; never part of a public response. */
export const CitizenProfileSchema = Type.Object({
  id: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  displayName: Type.String(),
  /** Whether the display name may be shown next to public contributions; private by default. */
  showName: Type.Boolean(),
  language: Type.Enum(LOCALES),
  emailPrefs: EmailPrefsSchema,
  /** Providers this account signs in with, by id. */
  providers: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type CitizenProfile = Static<typeof CitizenProfileSchema>;

export const UpdateCitizenProfileSchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: CITIZEN_LIMITS.displayNameMaxLength })),
    showName: Type.Optional(Type.Boolean()),
    language: Type.Optional(Type.Enum(LOCALES)),
    emailPrefs: Type.Optional(Type.Partial(EmailPrefsSchema, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type UpdateCitizenProfile = Static<typeof UpdateCitizenProfileSchema>;

/** A sign-in provider as the web app shows it: a button with a label. */
export const OidcProviderInfoSchema = Type.Object({ id: Type.String(), label: Type.String() });
export type OidcProviderInfo = Static<typeof OidcProviderInfoSchema>;

/** One line of "Mes signalements": public fields only, and why it is listed. */
export const MyReportSchema = Type.Object({
  id: Type.String(),
  ref: Type.String(),
  status: ReportStatusSchema,
  statusLabel: LabelSchema,
  category: Type.Object({ code: Type.String(), label: LabelSchema }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  relation: Type.Enum(['filed', 'followed']),
});
export type MyReport = Static<typeof MyReportSchema>;

export const MyReportsSchema = Type.Object({ reports: Type.Array(MyReportSchema) });
export type MyReports = Static<typeof MyReportsSchema>;

/** `GET /api/me/providers`: the sign-in buttons to show. */
export const OidcProvidersSchema = Type.Object({ providers: Type.Array(OidcProviderInfoSchema) });
export type OidcProviders = Static<typeof OidcProvidersSchema>;

/** `POST /api/me/magic-link`: where to send a sign-in link, where to come back to, the mail's language. */
export const MagicLinkRequestSchema = Type.Object({
  email: Type.String({ maxLength: 254 }),
  returnTo: Type.Optional(Type.String({ maxLength: CITIZEN_LIMITS.returnToMaxLength })),
  language: Type.Optional(Type.Enum(LOCALES)),
});
export type MagicLinkRequest = Static<typeof MagicLinkRequestSchema>;

/** Always `sent: true`, whether or not the address has an account. */
export const MagicLinkSentSchema = Type.Object({ sent: Type.Boolean() });
export type MagicLinkSent = Static<typeof MagicLinkSentSchema>;

/** The signed-in citizen (`GET` and `PATCH /api/me`). */
export const CitizenSessionSchema = Type.Object({ profile: CitizenProfileSchema });
export type CitizenSession = Static<typeof CitizenSessionSchema>;

/** A spent magic link: the session it opened and where the browser goes next. */
export const MagicLinkSessionSchema = Type.Object({ profile: CitizenProfileSchema, returnTo: Type.String() });
export type MagicLinkSession = Static<typeof MagicLinkSessionSchema>;

export const CitizenLogoutSchema = Type.Object({
  /** The provider's end-session URL (FranceConnect requires signing out there too), or null. */
  providerLogoutUrl: Type.Union([Type.String(), Type.Null()]),
});
export type CitizenLogout = Static<typeof CitizenLogoutSchema>;

/** The account is gone; its reports stay public, unlinked. */
export const AccountDeletedSchema = Type.Object({ deleted: Type.Boolean(), reportsKept: Type.Integer() });
export type AccountDeleted = Static<typeof AccountDeletedSchema>;

/** Reports filed anonymously from this browser that could join the account. */
export const ClaimableReportsSchema = Type.Object({ claimable: Type.Integer() });
export type ClaimableReports = Static<typeof ClaimableReportsSchema>;

export const ClaimedReportsSchema = Type.Object({ claimed: Type.Integer() });
export type ClaimedReports = Static<typeof ClaimedReportsSchema>;
