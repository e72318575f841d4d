import { Type, type Static } from 'typebox';
import { OPEN_STATUSES, ReportStatusSchema, type ReportStatus } from './reports';
import { STAFF_ROLES, canTransition } from './state-machine';

/** A signed-in staff member, as `/api/auth/login` and `/api/staff/me` answer it. */
export const StaffUserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(STAFF_ROLES),
  teamId: Type.Union([Type.Integer(), Type.Null()]),
  service: Type.Union([Type.String(), Type.Null()]),
  /** The INSEE code of the town the account works for; null for a metropolitan account (every town). */
  townCode: Type.Union([Type.String(), Type.Null()]),
  /**
   * The town's name, shown beside the account's name in the staff pages; null with `townCode`. Always
   * in the API's answers (the staff repository reads it); optional so that a user built in code (a job,
   * a bench) needs no town look-up.
   */
  townName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type StaffUser = Static<typeof StaffUserSchema>;

export const StaffSessionSchema = Type.Object({ user: StaffUserSchema });
export type StaffSession = Static<typeof StaffSessionSchema>;

export const StaffTeamsSchema = Type.Object({
  teams: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});
export type StaffTeams = Static<typeof StaffTeamsSchema>;

/** Who a report is assigned to. */
export const AssigneeSchema = Type.Object({ id: Type.Integer(), displayName: Type.String() });
export type Assignee = Static<typeof AssigneeSchema>;

/** Who the user may assign reports to, with each one's team. */
export const AssigneeChoicesSchema = Type.Object({
  assignees: Type.Array(Type.Object({ ...AssigneeSchema.properties, team: Type.String() })),
});
export type AssigneeChoices = Static<typeof AssigneeChoicesSchema>;

// "No one", without type coercion: Fastify's validator would turn a 0 or a false into null (and
// so unassign) through `{ type: 'null' }`. `const` does not coerce, and coming first it is tried
// before the integer branch could coerce null into 0.
const NobodySchema = Type.Unsafe<null>({ const: null });
const UserIdSchema = Type.Union([NobodySchema, Type.Integer({ minimum: 1, maximum: 2_147_483_647 })]);

export const AssignBodySchema = Type.Object({ userId: UserIdSchema });
export type AssignBody = Static<typeof AssignBodySchema>;

export const AssignmentSchema = Type.Object({ id: Type.String(), assignee: Type.Union([AssigneeSchema, Type.Null()]) });
export type Assignment = Static<typeof AssignmentSchema>;

export const BULK_ACTIONS = ['acknowledge', 'assign', 'resolve'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const BULK_MAX_IDS = 100;

export const BulkActionBodySchema = Type.Object({
  ids: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: BULK_MAX_IDS }),
  // Unsafe only names the type: a union mapped from the list is typed as never.
  action: Type.Unsafe<BulkAction>(Type.Union(BULK_ACTIONS.map((a) => Type.Literal(a)))),
  userId: Type.Optional(UserIdSchema),
  message: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type BulkActionBody = Static<typeof BulkActionBodySchema>;

/**
 * One result per distinct id, with the report's reference when it is in the user's scope (null
 * otherwise: a reference is not given away for an id the user may not see). A report that could not
 * move carries the error `code` and a plain `message` saying why.
 */
export const BulkActionResultSchema = Type.Object({
  id: Type.String(),
  ref: Type.Union([Type.String(), Type.Null()]),
  ok: Type.Boolean(),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
export type BulkActionResult = Static<typeof BulkActionResultSchema>;
export const BulkActionResultsSchema = Type.Object({ results: Type.Array(BulkActionResultSchema) });
export type BulkActionResults = Static<typeof BulkActionResultsSchema>;

/**
 * Whether a bulk action can apply to a report in this status: the same state machine as the single
 * actions, so the web offers an action only for the reports it will not refuse.
 */
export function canApplyBulkAction(action: BulkAction, status: ReportStatus): boolean {
  if (action === 'assign') return OPEN_STATUSES.includes(status);
  return canTransition(status, action === 'acknowledge' ? 'acknowledged' : 'resolved');
}

/** One line of a staff queue. */
export const QueueItemSchema = Type.Object({
  id: Type.String(),
  ref: Type.String(),
  status: ReportStatusSchema,
  priority: Type.Integer(),
  severity: Type.String(),
  category: Type.Object({ code: Type.String(), label: Type.String() }),
  team: Type.Union([Type.String(), Type.Null()]),
  area: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  assignee: Type.Union([AssigneeSchema, Type.Null()]),
  location: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) }),
  createdAt: Type.String({ format: 'date-time' }),
  deadlineAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  isLate: Type.Boolean(),
  supportCount: Type.Integer(),
});
export type QueueItem = Static<typeof QueueItemSchema>;

/** The queue's filters (`GET /api/staff/reports`); `status` is a comma-separated list of statuses. */
export const QueueQuerySchema = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 200 })),
  category: Type.Optional(Type.String({ maxLength: 80 })),
  area: Type.Optional(Type.String({ maxLength: 80 })),
  team: Type.Optional(Type.String({ maxLength: 80 })),
  late: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  assignee: Type.Optional(Type.String({ maxLength: 12, description: '`me`, `none` or a staff user id' })),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type QueueQuery = Static<typeof QueueQuerySchema>;

export const QueueSchema = Type.Object({ reports: Type.Array(QueueItemSchema) });
export type Queue = Static<typeof QueueSchema>;

/** A `queue` event of `GET /api/staff/events`: which report changed, never a team id or a resident's data. */
export const QueueEventSchema = Type.Object({
  type: Type.Enum(['created', 'changed']),
  id: Type.String(),
  status: ReportStatusSchema,
});
export type QueueEvent = Static<typeof QueueEventSchema>;

/** A report near another, of the same category: a candidate for "duplicate of". */
export const NearbyItemSchema = Type.Object({
  id: Type.String(),
  ref: Type.String(),
  status: ReportStatusSchema,
  distanceM: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  excerpt: Type.String(),
  supportCount: Type.Integer(),
  followerCount: Type.Integer(),
  /** Whether the user may act on that report too (close it as a duplicate of the open one). */
  isInScope: Type.Boolean(),
});
export type NearbyItem = Static<typeof NearbyItemSchema>;

export const StaffNearbySchema = Type.Object({ radiusM: Type.Integer(), reports: Type.Array(NearbyItemSchema) });
export type StaffNearby = Static<typeof StaffNearbySchema>;

export const TransitionBodySchema = Type.Object({
  to: Type.String({ maxLength: 40 }),
  reason: Type.Optional(Type.String({ maxLength: 80 })),
  message: Type.Optional(Type.String({ maxLength: 2000 })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  duplicateOf: Type.Optional(Type.String({ maxLength: 64 })),
  transferredTo: Type.Optional(Type.String({ maxLength: 200 })),
  scheduledFor: Type.Optional(Type.String({ maxLength: 40 })),
});
export type TransitionBody = Static<typeof TransitionBodySchema>;

export const TransitionResultSchema = Type.Object({ id: Type.String(), status: ReportStatusSchema });
export type TransitionResult = Static<typeof TransitionResultSchema>;

/** New category and/or new point (`lat` and `lon` together); the report is routed again. */
export const RequalifyBodySchema = Type.Object({
  category: Type.Optional(Type.String({ maxLength: 80 })),
  lat: Type.Optional(Type.Number()),
  lon: Type.Optional(Type.Number()),
});
export type RequalifyBody = Static<typeof RequalifyBodySchema>;

/** The answer of a staff action on one report that has nothing more to say than which one. */
export const ReportIdSchema = Type.Object({ id: Type.String() });
export type ReportId = Static<typeof ReportIdSchema>;

export const AfterPhotoSchema = Type.Object({ photoId: Type.String() });
export type AfterPhoto = Static<typeof AfterPhotoSchema>;

/** A staff member's sign-in. */
export const StaffLoginBodySchema = Type.Object({
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 200 }),
});
export type StaffLoginBody = Static<typeof StaffLoginBodySchema>;

/**
 * One entry of a report's internal history, for staff in scope: who (a staff member by name, the
 * resident, or the system), what and when, with the internal note when it is one. Never an e-mail.
 */
export const StaffHistoryEntrySchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  event: Type.String(),
  toStatus: Type.Union([ReportStatusSchema, Type.Null()]),
  actor: Type.Object({
    kind: Type.Enum(['staff', 'resident', 'system']),
    name: Type.Union([Type.String(), Type.Null()]),
  }),
  /** For an assignment: who it went to (null when it was cleared). */
  assignee: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});
export type StaffHistoryEntry = Static<typeof StaffHistoryEntrySchema>;
export const StaffHistorySchema = Type.Object({ entries: Type.Array(StaffHistoryEntrySchema) });
export type StaffHistory = Static<typeof StaffHistorySchema>;
