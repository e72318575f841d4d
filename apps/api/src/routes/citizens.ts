import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  claimReports,
  countClaimable,
  createOidcClients,
  deleteCitizenAccount,
  enforceRateLimits,
  listMyReports,
  logOutCitizen,
  parseOidcProviders,
  requestMagicLink,
  toCitizenProfile,
  updateCitizenProfile,
  verifyMagicLink,
} from '@pave/core';
import {
  AccountDeletedSchema,
  CitizenLogoutSchema,
  CitizenSessionSchema,
  CITIZEN_LIMITS,
  ClaimableReportsSchema,
  ClaimedReportsSchema,
  errorResponses,
  isAppError,
  LinkTokenBodySchema,
  MagicLinkRequestSchema,
  MagicLinkSentSchema,
  MagicLinkSessionSchema,
  MyReportsSchema,
  OidcProvidersSchema,
  UpdateCitizenProfileSchema,
} from '@pave/shared';
import { Type } from 'typebox';
import { CITIZEN_COOKIE, clearCitizenCookie, requireCitizen, setCitizenCookie } from '../plugins/citizen-auth';
import { preferredLanguage } from '../request-language';

const OIDC_STATE_COOKIE = 'pave_oidc_state';
const OIDC_COOKIE_PATH = '/api/me/oidc';

const errors = errorResponses(400, 401, 404, 429);
const DeviceHeaders = Type.Object({ 'x-pave-device': Type.Optional(Type.String({ maxLength: 200 })) });
const ProviderParams = Type.Object({ provider: Type.String({ maxLength: 40 }) });

/**
 * Optional citizen accounts (/api/me): magic links, OpenID Connect, profile, "Mes signalements",
 * claiming reports filed from this browser, and deleting the account. Reporting never needs one.
 */
export const citizenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  // Checked here, at start-up: a malformed provider list stops the API with a clear message.
  const oidc = createOidcClients(parseOidcProviders(config.OIDC_PROVIDERS), config.PUBLIC_BASE_URL);
  const { mailer } = app.deps;

  app.get(
    '/me/providers',
    {
      schema: {
        summary: 'The OpenID Connect providers one can sign in with',
        response: { 200: OidcProvidersSchema },
      },
    },
    async () => ({ providers: oidc.list() }),
  );

  app.post(
    '/me/magic-link',
    {
      schema: {
        summary: 'Mail a one-use sign-in link; always 202, whether or not the address has an account',
        body: MagicLinkRequestSchema,
        response: { 202: MagicLinkSentSchema, ...errorResponses(503), ...errors },
      },
    },
    async (request, reply) => {
      await requestMagicLink(
        {
          db: app.deps.db,
          redis: app.deps.redis,
          mailer,
          rateLimitPrefix: config.QUEUE_PREFIX,
          publicBaseUrl: config.PUBLIC_BASE_URL,
        },
        { ...request.body, language: request.body.language ?? preferredLanguage(request), ip: request.ip },
      );
      return reply.status(202).send({ sent: true });
    },
  );

  app.post(
    '/me/magic-link/verify',
    {
      schema: {
        summary: 'Spend a magic link (once, within 15 minutes): opens a session and says where to go next',
        body: LinkTokenBodySchema,
        response: {
          200: MagicLinkSessionSchema,
          ...errorResponses(409, 410),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const session = await verifyMagicLink(app.deps.db, {
        token: request.body.token,
        language: preferredLanguage(request),
      });
      setCitizenCookie(app, reply, session);
      return { profile: session.profile, returnTo: session.returnTo };
    },
  );

  app.get(
    '/me/oidc/:provider/start',
    {
      schema: {
        summary: 'Redirect to an OpenID Connect provider (authorization code with PKCE S256, state, nonce)',
        params: ProviderParams,
        querystring: Type.Object({
          returnTo: Type.Optional(Type.String({ maxLength: CITIZEN_LIMITS.returnToMaxLength })),
        }),
        response: { 302: Type.Null(), ...errorResponses(503), ...errors },
      },
      // Each start stores a state row: a flood from one address is refused before that.
      onRequest: async (request) => {
        await enforceRateLimits(
          app.deps.redis,
          config.QUEUE_PREFIX,
          [{ key: `oidc:ip:${request.ip}`, max: 60, windowSeconds: 15 * 60 }],
          'Too many sign-in attempts; try again later.',
        );
      },
    },
    async (request, reply) => {
      const { url, state } = await oidc.start(app.deps.db, request.params.provider, request.query.returnTo);
      reply.setCookie(OIDC_STATE_COOKIE, state, {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.COOKIE_SECURE,
        path: OIDC_COOKIE_PATH,
        maxAge: CITIZEN_LIMITS.oidcStateMinutes * 60,
      });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/me/oidc/:provider/callback',
    {
      schema: {
        summary: "The provider's redirect back: checks state, code (PKCE) and nonce, then opens a session",
        params: ProviderParams,
        querystring: Type.Object(
          {
            code: Type.Optional(Type.String({ maxLength: 2000 })),
            state: Type.Optional(Type.String({ maxLength: 200 })),
            error: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: true },
        ),
        response: { 303: Type.Null(), ...errorResponses(503), ...errors },
      },
    },
    async (request, reply) => {
      reply.clearCookie(OIDC_STATE_COOKIE, { path: OIDC_COOKIE_PATH });
      try {
        const session = await oidc.finish(app.deps.db, request.params.provider, {
          callbackUrl: new URL(request.url, config.PUBLIC_BASE_URL),
          stateCookie: request.cookies[OIDC_STATE_COOKIE],
          language: preferredLanguage(request),
        });
        setCitizenCookie(app, reply, session);
        return reply.redirect(session.returnTo, 303);
      } catch (error) {
        // A person in a browser gets the account page with the reason; an API client gets the JSON error.
        if (isAppError(error) && (request.headers.accept ?? '').includes('text/html')) {
          return reply.redirect(`/compte?erreur=${encodeURIComponent(error.code)}`, 303);
        }
        throw error;
      }
    },
  );

  app.get(
    '/me',
    { schema: { summary: 'The signed-in citizen', response: { 200: CitizenSessionSchema, ...errors } } },
    async (request) => ({ profile: toCitizenProfile(await requireCitizen(app, request)) }),
  );

  app.patch(
    '/me',
    {
      schema: {
        summary: 'Update the display name (private unless showName), language and e-mail preferences',
        body: UpdateCitizenProfileSchema,
        response: { 200: CitizenSessionSchema, ...errors },
      },
    },
    async (request) => ({
      profile: await updateCitizenProfile(app.deps.db, await requireCitizen(app, request), request.body),
    }),
  );

  app.post(
    '/me/logout',
    {
      schema: {
        summary: 'Sign out; for a provider sign-in, also where to send the browser to sign out there',
        response: { 200: CitizenLogoutSchema },
      },
    },
    async (request, reply) => {
      const provider = await logOutCitizen(app.deps.db, request.cookies[CITIZEN_COOKIE]);
      clearCitizenCookie(reply);
      return { providerLogoutUrl: provider ? await oidc.logoutUrl(provider.provider, provider.idToken) : null };
    },
  );

  app.delete(
    '/me',
    {
      schema: {
        summary: 'Delete the account: personal data goes, the reports stay public without any link to it',
        response: { 200: AccountDeletedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const erased = await deleteCitizenAccount(app.deps.db, await requireCitizen(app, request));
      clearCitizenCookie(reply);
      return { deleted: true, reportsKept: erased.reports };
    },
  );

  app.get(
    '/me/reports',
    {
      schema: {
        summary: '"Mes signalements": reports filed or followed, with their public status',
        response: { 200: MyReportsSchema, ...errors },
      },
    },
    async (request) => listMyReports(app.deps.db, await requireCitizen(app, request)),
  );

  app.get(
    '/me/claim',
    {
      schema: {
        summary: 'How many reports filed anonymously from this browser (X-Pave-Device) could join the account',
        headers: DeviceHeaders,
        response: { 200: ClaimableReportsSchema, ...errors },
      },
    },
    async (request) => {
      await requireCitizen(app, request);
      return countClaimable(app.deps.db, request.headers['x-pave-device']);
    },
  );

  app.post(
    '/me/claim',
    {
      schema: {
        summary: 'Attach the reports filed anonymously from this browser (X-Pave-Device) to the account',
        headers: DeviceHeaders,
        response: { 200: ClaimedReportsSchema, ...errors },
      },
    },
    async (request) => claimReports(app.deps.db, await requireCitizen(app, request), request.headers['x-pave-device']),
  );
};
