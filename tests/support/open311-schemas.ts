import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * JSON Schemas written from the GeoReport v2 specification (wiki.open311.org/GeoReport_v2) and
 * mySociety's servicerequestupdates, independently of the server's own TypeBox schemas: a test
 * that validated the server against itself would prove nothing. `additionalProperties: false`
 * on requests is what proves a reporter's name, phone or e-mail never appears.
 */
const nullableString = { type: ['string', 'null'] } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

const discovery = {
  type: 'object',
  required: ['changeset', 'contact', 'key_service', 'endpoints'],
  additionalProperties: false,
  properties: {
    changeset: { type: 'string' },
    contact: { type: 'string' },
    key_service: { type: 'string' },
    endpoints: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['specification', 'url', 'changeset', 'type', 'formats'],
        additionalProperties: false,
        properties: {
          specification: { const: 'http://wiki.open311.org/GeoReport_v2' },
          url: { type: 'string', format: 'uri' },
          changeset: { type: 'string' },
          type: { enum: ['production', 'test'] },
          formats: { type: 'array', items: { enum: ['text/xml', 'application/json'] } },
        },
      },
    },
    // Our extension (issue #19): the jurisdictions served, by INSEE code.
    jurisdictions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['jurisdiction_id', 'name'],
        additionalProperties: false,
        properties: {
          jurisdiction_id: { type: 'string', pattern: '^(\\d{2}|2A|2B)\\d{3}$' },
          name: { type: 'string' },
        },
      },
    },
  },
};

const services = {
  type: 'array',
  items: {
    type: 'object',
    required: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
    additionalProperties: false,
    properties: {
      service_code: { type: 'string', minLength: 1 },
      service_name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      metadata: { type: 'boolean' },
      type: { enum: ['realtime', 'batch', 'blackbox'] },
      keywords: { type: 'string' },
      group: { type: 'string' },
    },
  },
};

const serviceDefinition = {
  type: 'object',
  required: ['service_code', 'attributes'],
  additionalProperties: false,
  properties: {
    service_code: { type: 'string' },
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description'],
        additionalProperties: false,
        properties: {
          variable: { type: 'boolean' },
          code: { type: 'string', minLength: 1 },
          datatype: { enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
          required: { type: 'boolean' },
          datatype_description: nullableString,
          order: { type: 'integer', minimum: 0 },
          description: { type: 'string' },
          values: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'name'],
              additionalProperties: false,
              properties: { key: { type: 'string' }, name: { type: 'string' } },
            },
          },
        },
      },
    },
  },
};

const requestProperties = {
  service_request_id: { type: 'string', minLength: 1 },
  status: { enum: ['open', 'closed'] },
  status_notes: nullableString,
  service_name: { type: 'string' },
  service_code: { type: 'string' },
  description: { type: 'string' },
  agency_responsible: nullableString,
  service_notice: nullableString,
  requested_datetime: dateTime,
  updated_datetime: dateTime,
  expected_datetime: { anyOf: [dateTime, { type: 'null' }] },
  address: nullableString,
  address_id: nullableString,
  zipcode: nullableString,
  lat: { type: 'number', minimum: -90, maximum: 90 },
  long: { type: 'number', minimum: -180, maximum: 180 },
  media_url: { anyOf: [{ type: 'string', format: 'uri' }, { type: 'null' }] },
};
const requestRequired = ['service_request_id', 'status', 'service_code', 'requested_datetime', 'lat', 'long'];

const serviceRequests = {
  type: 'array',
  items: { type: 'object', required: requestRequired, additionalProperties: false, properties: requestProperties },
};

/** Our `extensions=true` adds exactly one property. */
const serviceRequestsExtended = {
  type: 'array',
  items: {
    type: 'object',
    required: [...requestRequired, 'extended_attributes'],
    additionalProperties: false,
    properties: {
      ...requestProperties,
      extended_attributes: {
        type: 'object',
        required: ['ref', 'detailed_status', 'detailed_status_label', 'history'],
        properties: {
          ref: { type: 'string' },
          detailed_status: { type: 'string' },
          detailed_status_label: { type: 'string' },
          history: {
            type: 'array',
            items: {
              type: 'object',
              required: ['at', 'event'],
              properties: { at: dateTime, event: { type: 'string' } },
            },
          },
        },
      },
    },
  },
};

const created = {
  type: 'array',
  minItems: 1,
  maxItems: 1,
  items: {
    type: 'object',
    required: ['service_request_id', 'service_notice', 'account_id'],
    additionalProperties: false,
    properties: {
      service_request_id: { type: 'string', minLength: 1 },
      token: { type: 'string' },
      service_notice: nullableString,
      account_id: nullableString,
    },
  },
};

const tokens = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['service_request_id', 'token'],
    additionalProperties: false,
    properties: { service_request_id: { type: 'string' }, token: { type: 'string' } },
  },
};

const errors = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['code', 'description'],
    additionalProperties: false,
    properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } },
  },
};

const updates = {
  type: 'array',
  items: {
    type: 'object',
    required: ['update_id', 'service_request_id', 'status', 'updated_datetime', 'description'],
    additionalProperties: false,
    properties: {
      update_id: { type: 'string' },
      service_request_id: { type: 'string' },
      status: { enum: ['open', 'closed'] },
      updated_datetime: dateTime,
      description: { type: 'string' },
      media_url: nullableString,
    },
  },
};

export const OPEN311_SPEC_SCHEMAS = {
  discovery,
  services,
  serviceDefinition,
  serviceRequests,
  serviceRequestsExtended,
  created,
  tokens,
  errors,
  updates,
};
export type SpecDocument = keyof typeof OPEN311_SPEC_SCHEMAS;

const ajv = new Ajv({ allErrors: true, strict: true });
// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (a: Ajv) => Ajv;
addFormats(ajv);
const validators = new Map<SpecDocument, ValidateFunction>();

/** Validates a JSON answer against the specification's schema; returns ajv's errors, [] when valid. */
export function specErrors(document: SpecDocument, data: unknown): string[] {
  let validate = validators.get(document);
  if (!validate) {
    validate = ajv.compile(OPEN311_SPEC_SCHEMAS[document]);
    validators.set(document, validate);
  }
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Element order of one item, as the specification lists its fields. */
export const SPEC_FIELD_ORDER = {
  service: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
  request: Object.keys(requestProperties),
  attribute: ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description', 'values'],
  update: ['update_id', 'service_request_id', 'status', 'updated_datetime', 'description', 'media_url'],
};
