import { EMAIL_MAX_LENGTH } from './email';
import { Type, type Static } from 'typebox';
import { CategoryRefSchema } from './categories';
import { ASSISTED_CHANNELS } from './channels';
import { LabelSchema, LOCALES } from './i18n';
import { PHOTO_KINDS, PHOTO_STATUSES } from './photos';

export const REPORT_STATUSES = [
  'new',
  'acknowledged',
  'scheduled',
  'in_progress',
  'resolved',
  'rejected',
  'duplicate',
  'transferred',
  'reopened',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** The one place where an internal status becomes a public label and an Open311 status. */
export const PUBLIC_STATUS: Record<ReportStatus, { label: { fr: string; en: string }; open311: 'open' | 'closed' }> = {
  new: { label: { fr: 'Reçu', en: 'Received' }, open311: 'open' },
  acknowledged: { label: { fr: 'Pris en compte', en: 'Acknowledged' }, open311: 'open' },
  scheduled: { label: { fr: 'Intervention programmée', en: 'Scheduled' }, open311: 'open' },
  in_progress: { label: { fr: 'En cours', en: 'In progress' }, open311: 'open' },
  resolved: { label: { fr: 'Résolu', en: 'Fixed' }, open311: 'closed' },
  rejected: { label: { fr: 'Rejeté', en: 'Rejected' }, open311: 'closed' },
  duplicate: { label: { fr: 'Doublon', en: 'Duplicate' }, open311: 'closed' },
  transferred: { label: { fr: 'Transmis', en: 'Transferred' }, open311: 'closed' },
  reopened: { label: { fr: 'Rouvert', en: 'Reopened' }, open311: 'open' },
};

/**
 * A report's public status label, saying more than the status where the status alone would mislead:
 * a report still "new" whose timeline already reads "Sent to <team>" is shown as sent, not "Received".
 */
export function publicStatusLabel(status: ReportStatus, isRouted: boolean): { fr: string; en: string } {
  if (status === 'new' && isRouted) return { fr: 'Transmis à l’équipe', en: 'Sent to the team' };
  return PUBLIC_STATUS[status].label;
}

/** The statuses Open311 calls open: the report still waits for the city. */
export const OPEN_STATUSES: readonly ReportStatus[] = REPORT_STATUSES.filter(
  (s) => PUBLIC_STATUS[s].open311 === 'open',
);

/** The statuses Open311 calls closed: resolved, rejected, duplicate, transferred. */
export const CLOSED_STATUSES: readonly ReportStatus[] = REPORT_STATUSES.filter(
  (s) => PUBLIC_STATUS[s].open311 === 'closed',
);

export const REPORT_LIMITS = {
  descriptionMaxLength: 4000,
  emailMaxLength: EMAIL_MAX_LENGTH,
  /** Ceiling for list endpoints. */
  listMaxLimit: 2000,
} as const;

export const ReportStatusSchema = Type.Enum(REPORT_STATUSES);

export const PointSchema = Type.Object({
  type: Type.Literal('Point'),
  /** `[lon, lat]` */
  coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }),
});

export const PublicPhotoSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum(PHOTO_KINDS),
  status: Type.Enum(PHOTO_STATUSES),
  /** Present once the photo is processed. */
  urls: Type.Union([Type.Object({ large: Type.String(), thumb: Type.String() }), Type.Null()]),
});
export type PublicPhoto = Static<typeof PublicPhotoSchema>;

/** DansMaRue's question: how much does it bother you? */
export const SEVERITIES = ['genant', 'tres_genant', 'dangereux'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One public event of a report's life: no actor identity, only what happened and any public message. */
export const TimelineEntrySchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  event: Type.String(),
  status: Type.Union([ReportStatusSchema, Type.Null()]),
  label: LabelSchema,
  message: Type.Union([Type.String(), Type.Null()]),
  photoUrl: Type.Union([Type.String(), Type.Null()]),
  /** A resident's comment's id: what a flag or a moderator's action names. Null for other events. */
  commentId: Type.Union([Type.String(), Type.Null()]),
  /** A comment a moderator hid (the public sees a notice) or edited; `held` only in the staff view. */
  moderation: Type.Union([Type.Enum(['hidden', 'edited', 'held']), Type.Null()]),
});
export type TimelineEntry = Static<typeof TimelineEntrySchema>;

/**
 * The public view of a report. It is the response schema of every public read,
 * so a property that is not listed here (the reporter's e-mail) cannot leak.
 */
export const PublicReportSchema = Type.Object({
  id: Type.String(),
  ref: Type.String(),
  status: ReportStatusSchema,
  statusLabel: LabelSchema,
  /** Why the report is in its status, in the city's words: the rejection reason, or where it was transferred. */
  statusDetail: Type.Union([LabelSchema, Type.Null()]),
  category: CategoryRefSchema,
  description: Type.String(),
  /** The description was hidden (the public reads a notice instead) or edited by a moderator. */
  descriptionModeration: Type.Union([Type.Enum(['hidden', 'edited']), Type.Null()]),
  location: PointSchema,
  /** The address found at the point (the city's index): a numbered address or a street; null when none. */
  address: Type.Union([Type.String(), Type.Null()]),
  area: Type.Union([Type.String(), Type.Null()]),
  team: Type.Union([Type.String(), Type.Null()]),
  /** The town the report lies in (issue #19); null only outside every known town. */
  town: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
  /** Who handles it: the town's team, or a body serving several towns (`isBody`); null until routed. */
  handledBy: Type.Union([Type.Object({ name: Type.String(), isBody: Type.Boolean() }), Type.Null()]),
  deadlineAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** The crew's planned visit ("Intervention prévue le …") while the report is scheduled; null otherwise. */
  scheduledFor: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  photos: Type.Array(PublicPhotoSchema),
  severity: Type.Enum(SEVERITIES),
  /** "+1"s from other residents. */
  supportCount: Type.Integer(),
  /** The reporter's display name when they have an account and chose to show it; otherwise null. */
  reporterName: Type.Union([Type.String(), Type.Null()]),
  timeline: Type.Array(TimelineEntrySchema),
});
export type PublicReport = Static<typeof PublicReportSchema>;

export const CreatedReportSchema = Type.Object({
  id: Type.String(),
  ref: Type.String(),
  status: ReportStatusSchema,
  url: Type.String(),
  /** The reporter's private link (`/r/<ref>?t=<token>`): only ever in this answer and the reporter's mail. */
  trackingUrl: Type.String(),
});
export type CreatedReport = Static<typeof CreatedReportSchema>;

export const ReportFeatureSchema = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  geometry: PointSchema,
  properties: Type.Object({
    ref: Type.String(),
    status: ReportStatusSchema,
    category: Type.String(),
    group: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    /** The INSEE code of the report's town (`/api/towns` names it); null outside every known town. */
    town: Type.Union([Type.String(), Type.Null()]),
  }),
});

export const ReportFeatureCollectionSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(ReportFeatureSchema),
  /** True when `limit` cut the result: the client should zoom in. */
  truncated: Type.Boolean(),
});
export type ReportFeatureCollection = Static<typeof ReportFeatureCollectionSchema>;

/**
 * Filters of the public map, shared by its vector tiles, its GeoJSON and its list view.
 * Lists are comma-separated; dates are `YYYY-MM-DD` (Europe/Paris days), `until` inclusive.
 */
export const MapFilterQuerySchema = Type.Object({
  group: Type.Optional(Type.String({ maxLength: 400 })),
  status: Type.Optional(Type.String({ maxLength: 400 })),
  since: Type.Optional(Type.String({ maxLength: 10 })),
  until: Type.Optional(Type.String({ maxLength: 10 })),
  /** Ignored by the server: a client's last known data version, so a change busts the HTTP cache. */
  v: Type.Optional(Type.String({ maxLength: 20 })),
});
export type MapFilterQuery = Static<typeof MapFilterQuerySchema>;

export const MapReportsQuerySchema = Type.Object({
  ...MapFilterQuerySchema.properties,
  bbox: Type.String({ maxLength: 200 }),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type MapReportsQuery = Static<typeof MapReportsQuerySchema>;

/** The public map's limits: the GeoJSON ceiling, and the zoom from which tiles carry single reports. */
export const MAP_LIMITS = {
  geojsonDefaultLimit: 500,
  geojsonMaxLimit: 5000,
  /** Below this zoom a tile holds counts per grid cell, from it single reports. */
  pointsMinZoom: 14,
  maxZoom: 22,
  /** Reports per point tile at most: a street-level screen never needs more. */
  tileMaxFeatures: 4000,
} as const;

/** A public change on the map, as pushed by `GET /api/events`. Public fields only. */
export const ReportEventSchema = Type.Object({
  type: Type.Enum(['created', 'status']),
  version: Type.Integer(),
  id: Type.String(),
  status: ReportStatusSchema,
  category: Type.String(),
  group: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  createdAt: Type.String(),
});
export type ReportEvent = Static<typeof ReportEventSchema>;

/** The first event of `GET /api/events` (`hello`), and the body of `reset`: the map data version it starts from. */
export const ReportEventsHelloSchema = Type.Object({ version: Type.Integer() });
export type ReportEventsHello = Static<typeof ReportEventsHelloSchema>;

/** An open report of the same group near a point: a duplicate candidate shown while filing. */
export const NearbyReportSchema = Type.Object({
  id: Type.String(),
  ref: Type.String(),
  status: ReportStatusSchema,
  statusLabel: LabelSchema,
  category: Type.Object({ code: Type.String(), label: LabelSchema }),
  distanceMeters: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  supportCount: Type.Integer(),
  thumbUrl: Type.Union([Type.String(), Type.Null()]),
});
export type NearbyReport = Static<typeof NearbyReportSchema>;

export const NearbyReportsSchema = Type.Object({
  radiusMeters: Type.Integer(),
  reports: Type.Array(NearbyReportSchema),
});
export type NearbyReports = Static<typeof NearbyReportsSchema>;

export const SupportResultSchema = Type.Object({
  supportCount: Type.Integer(),
  /** An e-mail was given: a confirmation link went to it (following starts once it is opened). */
  confirmationSent: Type.Boolean(),
});
export type SupportResult = Static<typeof SupportResultSchema>;

export const FollowRequestedSchema = Type.Object({ confirmationSent: Type.Boolean() });
export type FollowRequested = Static<typeof FollowRequestedSchema>;

/** The follower's private token, once the confirmation link is opened. */
export const FollowerTokenSchema = Type.Object({ followerToken: Type.String() });
export type FollowerToken = Static<typeof FollowerTokenSchema>;

/** Who holds a private link: the reporter or a follower. */
export const ViewerRoleSchema = Type.Object({ role: Type.Enum(['reporter', 'follower']), following: Type.Boolean() });
export type ViewerRole = Static<typeof ViewerRoleSchema>;

/** The report's status after the answer to "is it fixed?". */
export const FixedAnswerSchema = Type.Object({ status: ReportStatusSchema });
export type FixedAnswer = Static<typeof FixedAnswerSchema>;

/** The answer to a resident's comment (`POST /api/reports/:id/comments`, 201). */
export const CommentAddedSchema = Type.Object({ ok: Type.Boolean() });
export type CommentAdded = Static<typeof CommentAddedSchema>;

/** A report an agent files for a resident, with the channel it came through. */
export const AssistedReportSchema = Type.Object({
  channel: Type.String({ maxLength: 20, description: ASSISTED_CHANNELS.join(' | ') }),
  category: Type.String({ maxLength: 80 }),
  lat: Type.Number(),
  lon: Type.Number(),
  description: Type.Optional(Type.String({ maxLength: REPORT_LIMITS.descriptionMaxLength })),
  severity: Type.Optional(Type.String({ maxLength: 20, description: SEVERITIES.join(' | ') })),
  /** The resident's address: they get the acknowledgement, the updates and their follow link. */
  residentEmail: Type.Optional(Type.String({ maxLength: REPORT_LIMITS.emailMaxLength })),
  /** The language the resident's mails are written in, as the agent asked them (French unless said). */
  residentLanguage: Type.Optional(Type.String({ maxLength: 10, description: LOCALES.join(' | ') })),
});
export type AssistedReport = Static<typeof AssistedReportSchema>;

/** A "+1", and with an e-mail also a request to follow; a bare "+1" has no body. */
export const SupportBodySchema = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 254 })),
  /** The language of the confirmation mail: the page's, else the browser's. */
  language: Type.Optional(Type.Enum(LOCALES)),
});
export type SupportBody = Static<typeof SupportBodySchema>;

/** A request to follow a report by e-mail, in the language of its confirmation mail. */
export const FollowBodySchema = Type.Object({
  email: Type.String({ maxLength: 254 }),
  language: Type.Optional(Type.Enum(LOCALES)),
});
export type FollowBody = Static<typeof FollowBodySchema>;

/** A one-time link's token, spent: a follow confirmation, a citizen's magic link. */
export const LinkTokenBodySchema = Type.Object({ token: Type.String({ maxLength: 200 }) });
export type LinkTokenBody = Static<typeof LinkTokenBodySchema>;

/** The reporter's or a follower's answer to "is it fixed?", with their private link's token `t`. */
export const FixedBodySchema = Type.Object({
  t: Type.String({ maxLength: 200 }),
  fixed: Type.Boolean(),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  /** How satisfied the resident is, 1 (not at all) to 5 (very). */
  rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
});
export type FixedBody = Static<typeof FixedBodySchema>;
