import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createOpen311Request,
  enforceRateLimits,
  getOpen311Discovery,
  getOpen311Request,
  getOpen311RequestIdByToken,
  getOpen311ServiceDefinition,
  listOpen311Requests,
  listOpen311Services,
  listOpen311Updates,
  type Open311Deps,
} from '@pave/core';
import {
  OPEN311,
  OPEN311_XML,
  Open311CreatedSchema,
  Open311DiscoverySchema,
  Open311ErrorsSchema,
  Open311RequestsSchema,
  Open311ServiceDefinitionSchema,
  Open311ServicesSchema,
  Open311TokenSchema,
  Open311UpdatesSchema,
  type Open311Format,
} from '@pave/shared';
import type { FastifyReply } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { preferredLanguage } from '../../request-language';
import { registerOpen311Errors } from './errors';
import { addFormParser } from './form';
import { toOpen311Xml } from './xml';

/** A response documented in both formats; JSON is serialized through the schema, XML is written by hand. */
function bothFormats(schema: TSchema, description: string) {
  return {
    description,
    content: {
      'application/json': { schema },
      'text/xml': { schema: Type.String({ description: 'The same document as XML (see docs/open311.md).' }) },
    },
  };
}

const errors = {
  400: bothFormats(Open311ErrorsSchema, 'Bad request: [{ code, description }]'),
  403: bothFormats(Open311ErrorsSchema, 'Missing or invalid api_key'),
  404: bothFormats(Open311ErrorsSchema, 'Unknown jurisdiction, service, request, token or format'),
};

const FormatParams = Type.Object({ format: Type.Enum(OPEN311.formats) });
const text = (description: string) => Type.Optional(Type.String({ description }));
const Jurisdiction = {
  jurisdiction_id: text(
    'Optional: a served town’s INSEE code (discovery lists them) limits the answer to that town; without it, ' +
      'or with the deployment’s own id, every town.',
  ),
};
const RequestsQuery = Type.Object({
  ...Jurisdiction,
  service_request_id: text('Comma-separated ids; overrides every other criterion.'),
  service_code: text('Comma-separated service codes.'),
  start_date: text('ISO 8601 with timezone. Default window: the last 90 days; never more than 90 days.'),
  end_date: text('ISO 8601 with timezone.'),
  status: text('open, closed, or both comma-separated.'),
  page: text('Extension: page number from 1.'),
  page_size: text('Extension: 1 to 1000 (default 1000); more is refused with a 400.'),
  extensions: text('Extension: true adds extended_attributes (detailed status and public history).'),
});
const FIELD = Type.Union([Type.String(), Type.Array(Type.String())]);
// A field sent twice arrives as an array: the service refuses it with a message that names it.
const field = (description: string) =>
  Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description }));
const RequestBody = Type.Object(
  {
    api_key: field('Required (here or in the query string).'),
    jurisdiction_id: field('Optional: a town’s INSEE code; a position outside that town is refused (400).'),
    service_code: field('Required.'),
    lat: field('WGS84 latitude, with long; without them, address_id or address_string places the request.'),
    long: field('WGS84 longitude.'),
    address_string: field(
      'Without lat/long: located in the city’s address index (best match scoring 0.6 or more, else a 400). ' +
        'With lat/long: ignored, the address stored is the index’s at the point.',
    ),
    address_id: field(
      'Without lat/long: a BAN address id (e.g. 75109_ae3c_00090) placing the request; unknown: a 400.',
    ),
    email: field('Private.'),
    device_id: field('Private.'),
    account_id: field('Private.'),
    first_name: field('Private.'),
    last_name: field('Private.'),
    phone: field('Private.'),
    description: field('Up to 4,000 characters of plain text.'),
    media_url: field('Fetched only from allowed hosts (OPEN311_MEDIA_HOSTS).'),
    locale: field(
      'Extension: the language of the resident’s mails, a language tag (en, en-GB, fr); without it, ' +
        'Accept-Language; a language other than French or English: French.',
    ),
  },
  {
    description: 'application/x-www-form-urlencoded; attributes as attribute[code]=value, lists repeated.',
    additionalProperties: FIELD,
  },
);

const XML_DOCUMENT: Record<string, { root: string; item: string | null }> = {
  discovery: { root: 'discovery', item: null },
  services: OPEN311_XML.services,
  service_definition: { root: 'service_definition', item: null },
  requests: OPEN311_XML.requests,
  updates: OPEN311_XML.updates,
};

function send(reply: FastifyReply, format: Open311Format, document: keyof typeof XML_DOCUMENT, data: unknown) {
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(data);
  const { root, item } = XML_DOCUMENT[document]!;
  return reply.type('text/xml; charset=utf-8').send(toOpen311Xml(root, item, data));
}

/** Open311 GeoReport v2 under /open311/v2, in JSON and XML (docs/open311.md). */
export const open311Routes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const deps: Open311Deps = {
    ...app.deps,
    open311: {
      jurisdictionId: config.OPEN311_JURISDICTION_ID,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      mediaHosts: config.OPEN311_MEDIA_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      contact: config.OPEN311_CONTACT,
      keyService: config.OPEN311_KEY_SERVICE,
      mediaTimeoutMs: 10_000,
      mapCentre: { lon: config.MAP_CENTER_LON, lat: config.MAP_CENTER_LAT },
    },
  };
  addFormParser(app);
  registerOpen311Errors(app);
  const tags = ['open311'];

  app.get(
    '/discovery.:format',
    {
      schema: {
        tags,
        summary: 'Service discovery',
        params: FormatParams,
        response: { 200: bothFormats(Open311DiscoverySchema, 'discovery'), ...errors },
      },
    },
    async (request, reply) => send(reply, request.params.format, 'discovery', await getOpen311Discovery(deps)),
  );

  app.get(
    '/services.:format',
    {
      schema: {
        tags,
        summary: 'GET services: every category as a service',
        params: FormatParams,
        querystring: Type.Object(Jurisdiction),
        response: { 200: bothFormats(Open311ServicesSchema, 'services/service'), ...errors },
      },
    },
    async (request, reply) =>
      send(reply, request.params.format, 'services', await listOpen311Services(deps, request.query)),
  );

  app.get(
    '/services/:service_code.:format',
    {
      schema: {
        tags,
        summary: 'GET service definition: the attributes of one service',
        params: Type.Object({ service_code: Type.String({ maxLength: 100 }), format: Type.Enum(OPEN311.formats) }),
        querystring: Type.Object(Jurisdiction),
        response: { 200: bothFormats(Open311ServiceDefinitionSchema, 'service_definition'), ...errors },
      },
    },
    async (request, reply) =>
      send(
        reply,
        request.params.format,
        'service_definition',
        await getOpen311ServiceDefinition(deps, request.params.service_code, request.query),
      ),
  );

  app.get(
    '/requests.:format',
    {
      schema: {
        tags,
        summary: 'GET service requests',
        params: FormatParams,
        querystring: RequestsQuery,
        response: { 200: bothFormats(Open311RequestsSchema, 'service_requests/request'), ...errors },
      },
    },
    async (request, reply) =>
      send(reply, request.params.format, 'requests', await listOpen311Requests(deps, request.query)),
  );

  app.post(
    '/requests.:format',
    {
      schema: {
        tags,
        summary: 'POST service request (api_key required)',
        consumes: ['application/x-www-form-urlencoded'],
        params: FormatParams,
        querystring: Type.Object({ ...Jurisdiction, api_key: text('May be sent in the body instead.') }),
        body: RequestBody,
        response: { 200: bothFormats(Open311CreatedSchema, 'service_requests/request'), ...errors },
      },
      // Per key (a client's integration gone wrong) and per client address (keys guessed or stolen).
      preValidation: async (request) => {
        const fields = { ...(request.query as object), ...(request.body as object) } as Record<string, unknown>;
        const apiKey = typeof fields.api_key === 'string' ? fields.api_key : '';
        await enforceRateLimits(
          app.deps.redis,
          config.QUEUE_PREFIX,
          [
            {
              key: `open311:key:${createHash('sha256').update(apiKey).digest('hex')}`,
              max: config.RATE_LIMIT_OPEN311_PER_KEY,
              windowSeconds: 60,
            },
            { key: `open311:ip:${request.ip}`, max: config.RATE_LIMIT_OPEN311_PER_KEY * 2, windowSeconds: 60 },
          ],
          'Too many requests for this api_key; try again shortly.',
        );
      },
    },
    async (request, reply) => {
      const created = await createOpen311Request(
        deps,
        { ...request.query, ...request.body },
        preferredLanguage(request),
      );
      request.log.info({ reportId: created[0]!.service_request_id }, 'open311 request filed');
      return send(reply, request.params.format, 'requests', created);
    },
  );

  app.get(
    '/requests/:service_request_id.:format',
    {
      schema: {
        tags,
        summary: 'GET one service request (a list of one)',
        params: Type.Object({
          service_request_id: Type.String({ maxLength: 100 }),
          format: Type.Enum(OPEN311.formats),
        }),
        querystring: Type.Object({ ...Jurisdiction, extensions: RequestsQuery.properties.extensions }),
        response: { 200: bothFormats(Open311RequestsSchema, 'service_requests/request'), ...errors },
      },
    },
    async (request, reply) =>
      send(
        reply,
        request.params.format,
        'requests',
        await getOpen311Request(deps, request.params.service_request_id, request.query),
      ),
  );

  app.get(
    '/tokens/:token.:format',
    {
      schema: {
        tags,
        summary: 'GET service_request_id from a token',
        params: Type.Object({ token: Type.String({ maxLength: 100 }), format: Type.Enum(OPEN311.formats) }),
        querystring: Type.Object(Jurisdiction),
        response: { 200: bothFormats(Open311TokenSchema, 'service_requests/request'), ...errors },
      },
    },
    async (request, reply) =>
      send(
        reply,
        request.params.format,
        'requests',
        await getOpen311RequestIdByToken(deps, request.params.token, request.query),
      ),
  );

  app.get(
    '/servicerequestupdates.:format',
    {
      schema: {
        tags,
        summary: 'mySociety extension: public status changes in a window',
        params: FormatParams,
        querystring: Type.Object({
          ...Jurisdiction,
          start_date: RequestsQuery.properties.start_date,
          end_date: RequestsQuery.properties.end_date,
          page: RequestsQuery.properties.page,
          page_size: RequestsQuery.properties.page_size,
        }),
        response: { 200: bothFormats(Open311UpdatesSchema, 'service_request_updates/request_update'), ...errors },
      },
    },
    async (request, reply) =>
      send(reply, request.params.format, 'updates', await listOpen311Updates(deps, request.query)),
  );
};
