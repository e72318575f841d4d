import { Type, type Static } from 'typebox';
import { Nullable } from './nullable';
import { STAFF_ROLES } from './state-machine';

export const DEADLINE_MODES = ['calendar', 'working'] as const;

/** Bounds on what an administrator may upload as a service area. */
export const AREA_LIMITS = {
  /** Paris's largest arrondissement has about 3,000 vertices; 100k is a detailed city-wide outline. */
  maxVertices: 100_000,
  /** Paris is 105 km²: an area larger than twice the city is a projection or unit mistake. */
  maxAreaKm2: 250,
  /** How far from the existing areas a new one may lie (a typo in a coordinate lands far away). */
  maxDistanceKm: 20,
  /**
   * How much of a town's area may lie outside the town's boundary: at most this share of the area's
   * surface AND at most `maxOutsideTownHa`. Outlines from two sources never match exactly: the demo's
   * arrondissements (click_that_hood) against Paris's boundary (IGN Admin Express, simplified) spill
   * by up to 2.5 % and 39.6 ha (the 16th, into Boulogne-Billancourt and Neuilly), the 12th by 0.4 %
   * and 6.7 ha, the others by under 1 ha. The share refuses a small area drawn in the wrong town
   * (the hectares alone would let a 40 ha park lie wholly in the next town); the hectares refuse a
   * large area spilling a district into its neighbour (5 % of Paris is 527 ha, half of Montreuil).
   * No buffer in metres: the 16th pokes 430 m out, and a 430 m buffer along a whole border is wider
   * than either limit. A town-less area (a body's) is not checked.
   */
  maxOutsideTownShare: 0.05,
  maxOutsideTownHa: 50,
  /** A 100k-vertex polygon is about 2.5 MB of JSON. */
  maxBodyBytes: 8 * 1024 * 1024,
} as const;

/** An INSEE commune code, e.g. 75056 (Paris), 93048 (Montreuil). */
const TownCode = Type.String({ pattern: '^(\\d{2}|2A|2B)\\d{3}$', description: 'INSEE commune code' });

/**
 * The town a row belongs to: its INSEE code, or null for a town-less row (a body serving every town;
 * a metropolitan account). On a create, a metropolitan admin may choose it among the towns served; a
 * town's admin may leave it out or name its own town (another town is a 403, FORBIDDEN).
 */
const TownField = Nullable(TownCode);
const TownChoice = (defaulted: string) =>
  Type.Optional(
    Nullable(
      Type.String({
        pattern: '^(\\d{2}|2A|2B)\\d{3}$',
        description: `INSEE code of a served town, null for none; left out: ${defaulted}`,
      }),
    ),
  );

const Code = (description: string) =>
  Type.String({ pattern: '^[a-z0-9-]+$', minLength: 1, maxLength: 80, description });
/** "HH:MM", Europe/Paris wall-clock time. */
const TimeOfDay = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, Europe/Paris' });

export const AdminTeamSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  /** Supervisors of this service see the team's reports. */
  service: Type.String(),
  town: TownField,
});
export type AdminTeam = Static<typeof AdminTeamSchema>;
export const AdminTeamsSchema = Type.Object({ teams: Type.Array(AdminTeamSchema) });
export type AdminTeams = Static<typeof AdminTeamsSchema>;

export const AdminTeamCreateSchema = Type.Object({
  code: Code('Stable code, e.g. "voirie-11"'),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
  service: Type.Optional(Code('Defaults to the code without its number: "voirie-11" → "voirie"')),
  town: TownChoice("the admin's town (none for a metropolitan admin)"),
});
export type AdminTeamCreate = Static<typeof AdminTeamCreateSchema>;
export const AdminTeamPatchSchema = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
  service: Type.Optional(Code('Service the team belongs to')),
  town: Type.Optional(
    Nullable(
      Type.String({
        pattern: '^(\\d{2}|2A|2B)\\d{3}$',
        description:
          "The team's current town only: a team does not change town (another is 409 TOWN_NOT_CHANGEABLE, or 403 FORBIDDEN for a town's admin)",
      }),
    ),
  ),
});
export type AdminTeamPatch = Static<typeof AdminTeamPatchSchema>;

export const AdminAreaSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  areaKm2: Type.Number(),
  vertexCount: Type.Integer(),
  /** `[minLon, minLat, maxLon, maxLat]` */
  bbox: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
  town: TownField,
});
export type AdminArea = Static<typeof AdminAreaSchema>;
export const AdminAreasSchema = Type.Object({ areas: Type.Array(AdminAreaSchema) });
export type AdminAreas = Static<typeof AdminAreasSchema>;

/** Code and name may come from here, from top-level members of the body, or from the feature's properties. */
export const AdminAreaQuerySchema = Type.Object({
  code: Type.Optional(Code('Area code, e.g. "paris-11"')),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  town: Type.Optional(
    Type.String({
      pattern: '^(\\d{2}|2A|2B)\\d{3}$',
      description:
        "INSEE code of a served town; left out: the admin's town (none for a metropolitan admin). On a replace, the area's current town only: an area does not change town (409 TOWN_NOT_CHANGEABLE, or 403 FORBIDDEN for a town's admin)",
    }),
  ),
});

const RuleCriteria = {
  category: Type.Optional(Nullable(Code('Category code; exclusive with group'))),
  group: Type.Optional(Nullable(Code('Category group code; exclusive with category'))),
  area: Type.Optional(Nullable(Code('Service area code'))),
  days: Type.Optional(
    Nullable(
      // Ranges are checked by the service: inside a nullable union, Fastify's type coercion would
      // turn a refused [0] into null ("every day") instead of refusing it.
      Type.Array(Type.Integer(), {
        maxItems: 7,
        description: 'ISO days, 1 = Monday … 7 = Sunday, each at most once; null = every day',
      }),
    ),
  ),
  timeFrom: Type.Optional(Nullable(TimeOfDay)),
  timeTo: Type.Optional(Nullable(TimeOfDay)),
  isActive: Type.Optional(Type.Boolean()),
  description: Type.Optional(Type.String({ maxLength: 500 })),
};

export const AdminRuleSchema = Type.Object({
  id: Type.Integer(),
  position: Type.Integer(),
  category: Nullable(Type.String()),
  group: Nullable(Type.String()),
  area: Nullable(Type.String()),
  team: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }),
  days: Nullable(Type.Array(Type.Integer())),
  timeFrom: Nullable(Type.String()),
  timeTo: Nullable(Type.String()),
  isActive: Type.Boolean(),
  description: Type.String(),
  /** Whether reports were routed by this rule (such a rule is deactivated, never deleted). */
  isReferenced: Type.Boolean(),
  town: TownField,
});
export type AdminRule = Static<typeof AdminRuleSchema>;
/** The rules in evaluation order (the list, and the answer to a reorder). */
export const AdminRulesSchema = Type.Object({ rules: Type.Array(AdminRuleSchema) });
export type AdminRules = Static<typeof AdminRulesSchema>;

export const AdminRuleCreateSchema = Type.Object({
  position: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Lower positions are tried first' }),
  team: Code('Team code'),
  town: TownChoice("the team's town for a metropolitan admin, else the admin's town"),
  ...RuleCriteria,
});
export type AdminRuleCreate = Static<typeof AdminRuleCreateSchema>;
export const AdminRulePatchSchema = Type.Object({
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  team: Type.Optional(Code('Team code')),
  town: TownChoice('the rule keeps its town: only its own is accepted (docs/adr/0012-towns.md)'),
  ...RuleCriteria,
});
export type AdminRulePatch = Static<typeof AdminRulePatchSchema>;
/** A rule that routed reports is kept, deactivated, so their history still names it. */
export const AdminRuleRemovalSchema = Type.Object({
  id: Type.Integer(),
  outcome: Type.Enum(['deleted', 'deactivated'] as const),
});
export type AdminRuleRemoval = Static<typeof AdminRuleRemovalSchema>;
export const AdminRuleReorderSchema = Type.Object({
  ids: Type.Array(Type.Integer(), { minItems: 1, maxItems: 10_000, uniqueItems: true }),
});

export const AdminCategorySchema = Type.Object({
  code: Type.String(),
  group: Type.String(),
  labelFr: Type.String(),
  deadlineHours: Type.Integer(),
  deadlineMode: Type.Enum(DEADLINE_MODES),
  defaultPriority: Type.Integer(),
  isSensitive: Type.Boolean(),
  isActive: Type.Boolean(),
  /** Metres within which open reports of the same group are offered as duplicates. */
  duplicateRadiusM: Type.Integer(),
});
export type AdminCategory = Static<typeof AdminCategorySchema>;
export const AdminCategoriesSchema = Type.Object({ categories: Type.Array(AdminCategorySchema) });
export type AdminCategories = Static<typeof AdminCategoriesSchema>;

export const AdminCategoryPatchSchema = Type.Object({
  deadlineHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 365 })),
  deadlineMode: Type.Optional(Type.Enum(DEADLINE_MODES)),
  isSensitive: Type.Optional(Type.Boolean()),
  isActive: Type.Optional(Type.Boolean()),
  /** Checked by the service against DUPLICATE_RADIUS_LIMITS (DUPLICATE_RADIUS_INVALID). */
  duplicateRadiusM: Type.Optional(Type.Number()),
});
export type AdminCategoryPatch = Static<typeof AdminCategoryPatchSchema>;

export const AdminUserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(STAFF_ROLES),
  team: Nullable(Type.String()),
  service: Nullable(Type.String()),
  isActive: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  /** null: a metropolitan account, which reads every town. */
  town: TownField,
});
export type AdminUser = Static<typeof AdminUserSchema>;
export const AdminUsersSchema = Type.Object({ users: Type.Array(AdminUserSchema) });
export type AdminUsers = Static<typeof AdminUsersSchema>;

export const AdminUserCreateSchema = Type.Object({
  email: Type.String({ maxLength: 254 }),
  role: Type.Enum(STAFF_ROLES),
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
  team: Type.Optional(Nullable(Code('Team code; required for crew'))),
  service: Type.Optional(Nullable(Code('Service; required for supervisors'))),
  password: Type.Optional(
    Type.String({ minLength: 12, maxLength: 200, description: 'Generated and returned once when absent' }),
  ),
  town: TownChoice("the team's town for a metropolitan admin (else metropolitan), else the admin's town"),
});
export type AdminUserCreate = Static<typeof AdminUserCreateSchema>;
/** `password` only when it was generated: shown once, never stored in clear. */
export const AdminUserCreatedSchema = Type.Object({ user: AdminUserSchema, password: Type.Optional(Type.String()) });
export type AdminUserCreated = Static<typeof AdminUserCreatedSchema>;
export const AdminUserPatchSchema = Type.Object({
  role: Type.Optional(Type.Enum(STAFF_ROLES)),
  town: TownChoice('the account keeps its town: only its own is accepted (docs/adr/0012-towns.md)'),
  displayName: Type.Optional(Type.String({ maxLength: 200 })),
  team: Type.Optional(Nullable(Code('Team code'))),
  service: Type.Optional(Nullable(Code('Service'))),
  isActive: Type.Optional(Type.Boolean({ description: 'false also ends every session of the user' })),
});
export type AdminUserPatch = Static<typeof AdminUserPatchSchema>;

/** The towns an admin may give a row: the served towns (a town's admin gets its own only). */
export const AdminTownsSchema = Type.Object({
  towns: Type.Array(Type.Object({ code: TownCode, name: Type.String() })),
});
export type AdminTowns = Static<typeof AdminTownsSchema>;

export const AdminAuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  /** `displayName` so the journal reads "Amina Diallo a changé…", not an address. */
  actor: Type.Object({ id: Type.Integer(), email: Type.String(), displayName: Type.String() }),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
});
export type AdminAuditEntry = Static<typeof AdminAuditEntrySchema>;
export const AdminAuditSchema = Type.Object({ entries: Type.Array(AdminAuditEntrySchema) });
export type AdminAudit = Static<typeof AdminAuditSchema>;

export const AdminAuditQuerySchema = Type.Object({
  entity: Type.Optional(Type.Enum(['team', 'area', 'rule', 'category', 'user'] as const)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export type AdminAuditQuery = Static<typeof AdminAuditQuerySchema>;
