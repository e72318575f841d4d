import { Type, type Static } from 'typebox';
import { Nullable } from './nullable';

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) and mySociety's servicerequestupdates
 * extension. Field names, order and element names are the specification's, not ours:
 * clients written for other cities read them unchanged.
 */
export const OPEN311 = {
  specification: 'http://wiki.open311.org/GeoReport_v2',
  /** When this endpoint's behaviour last changed; clients compare it to their cache. */
  changeset: '2026-11-29T00:00:00Z',
  /** "Default query limit is a span of 90 days or first 1000 requests returned, whichever is smallest." */
  windowDays: 90,
  maxRequests: 1000,
  /** Ceiling of the `page_size` extension: the specification's own cap. */
  maxPageSize: 1000,
  maxIdsPerQuery: 100,
  formats: ['json', 'xml'] as const,
} as const;

export type Open311Format = (typeof OPEN311.formats)[number];

export const OPEN311_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type Open311Datatype = (typeof OPEN311_DATATYPES)[number];

/** The statuses Open311 knows; ours map onto them through `PUBLIC_STATUS`. */
export const OPEN311_STATUSES = ['open', 'closed'] as const;
export type Open311Status = (typeof OPEN311_STATUSES)[number];

/** The only statuses the specification's errors use. */
export type Open311ErrorStatus = 400 | 403 | 404;

/** A failure answered in the specification's error format: `[{ code, description }]`. */
export class Open311Error extends Error {
  readonly status: Open311ErrorStatus;

  constructor(status: Open311ErrorStatus, description: string) {
    super(description);
    this.name = 'Open311Error';
    this.status = status;
  }
}

/** Type guard usable across package boundaries. */
export function isOpen311Error(error: unknown): error is Open311Error {
  return error instanceof Error && error.name === 'Open311Error' && 'status' in error;
}

export const Open311ErrorsSchema = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }));
export type Open311Errors = Static<typeof Open311ErrorsSchema>;

export const Open311DiscoverySchema = Type.Object({
  changeset: Type.String(),
  contact: Type.String(),
  key_service: Type.String(),
  endpoints: Type.Array(
    Type.Object({
      specification: Type.String(),
      url: Type.String(),
      changeset: Type.String(),
      type: Type.Enum(['production', 'test']),
      formats: Type.Array(Type.String()),
    }),
  ),
  /** Extension (issue #19): the jurisdictions this endpoint serves, by INSEE code. */
  jurisdictions: Type.Array(Type.Object({ jurisdiction_id: Type.String(), name: Type.String() })),
});
export type Open311Discovery = Static<typeof Open311DiscoverySchema>;

export const Open311ServiceSchema = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Type.String(),
  metadata: Type.Boolean(),
  type: Type.Enum(['realtime', 'batch', 'blackbox']),
  keywords: Type.String(),
  group: Type.String(),
});
export type Open311Service = Static<typeof Open311ServiceSchema>;
export const Open311ServicesSchema = Type.Array(Open311ServiceSchema);

export const Open311AttributeSchema = Type.Object({
  variable: Type.Boolean(),
  code: Type.String(),
  datatype: Type.Enum(OPEN311_DATATYPES),
  required: Type.Boolean(),
  datatype_description: Nullable(Type.String()),
  order: Type.Integer(),
  description: Type.String(),
  values: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
});
export type Open311Attribute = Static<typeof Open311AttributeSchema>;

export const Open311ServiceDefinitionSchema = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(Open311AttributeSchema),
});
export type Open311ServiceDefinition = Static<typeof Open311ServiceDefinitionSchema>;

/** Our `extensions=true` additions: the detailed status and the public history. */
export const Open311ExtendedAttributesSchema = Type.Object({
  ref: Type.String(),
  /** The town (jurisdiction) the request lies in; null only outside every known town. */
  town: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  detailed_status: Type.String(),
  detailed_status_label: Type.String(),
  history: Type.Array(
    Type.Object({
      at: Type.String(),
      event: Type.String(),
      status: Nullable(Type.String()),
      note: Nullable(Type.String()),
    }),
  ),
});

/** A service request as GET requests returns it. Reporter contact details are deliberately absent. */
export const Open311RequestSchema = Type.Object({
  service_request_id: Type.String(),
  status: Type.Enum(OPEN311_STATUSES),
  status_notes: Nullable(Type.String()),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Type.String(),
  agency_responsible: Nullable(Type.String()),
  service_notice: Nullable(Type.String()),
  requested_datetime: Type.String(),
  updated_datetime: Type.String(),
  expected_datetime: Nullable(Type.String()),
  address: Nullable(Type.String()),
  address_id: Nullable(Type.String()),
  zipcode: Nullable(Type.String()),
  lat: Type.Number(),
  long: Type.Number(),
  media_url: Nullable(Type.String()),
  extended_attributes: Type.Optional(Open311ExtendedAttributesSchema),
});
export type Open311Request = Static<typeof Open311RequestSchema>;
export const Open311RequestsSchema = Type.Array(Open311RequestSchema);

/** What POST requests answers: we file synchronously, so the id is known at once and no token is given (docs/adr/0003). */
export const Open311CreatedSchema = Type.Array(
  Type.Object({
    service_request_id: Type.String(),
    service_notice: Nullable(Type.String()),
    account_id: Nullable(Type.String()),
  }),
);
export type Open311Created = Static<typeof Open311CreatedSchema>;

export const Open311TokenSchema = Type.Array(Type.Object({ service_request_id: Type.String(), token: Type.String() }));
export type Open311TokenAnswer = Static<typeof Open311TokenSchema>;

/** mySociety's GET servicerequestupdates: one entry per public status change. */
export const Open311UpdateSchema = Type.Object({
  update_id: Type.String(),
  service_request_id: Type.String(),
  status: Type.Enum(OPEN311_STATUSES),
  updated_datetime: Type.String(),
  description: Type.String(),
  media_url: Nullable(Type.String()),
});
export type Open311Update = Static<typeof Open311UpdateSchema>;
export const Open311UpdatesSchema = Type.Array(Open311UpdateSchema);

/**
 * XML element names: the root of each answer and the item element of each list.
 * JSON answers are bare arrays; XML wraps them in these.
 */
export const OPEN311_XML = {
  errors: { root: 'errors', item: 'error' },
  services: { root: 'services', item: 'service' },
  requests: { root: 'service_requests', item: 'request' },
  updates: { root: 'service_request_updates', item: 'request_update' },
  /** Children that are lists, and the name of each of their items. */
  listItems: {
    endpoints: 'endpoint',
    formats: 'format',
    attributes: 'attribute',
    values: 'value',
    history: 'entry',
    jurisdictions: 'jurisdiction',
  } as Record<string, string>,
} as const;
