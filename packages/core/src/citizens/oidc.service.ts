import { AppError, CITIZEN_LIMITS, type Locale, type OidcProviderInfo } from '@pave/shared';
import * as oidc from 'openid-client';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { withTransaction, type Pool } from '../db/pool';
import {
  consumeOidcState,
  findIdentityAccountId,
  insertCitizenWithoutEmail,
  insertOidcState,
  linkIdentity,
  touchCitizenLogin,
  upsertCitizenByEmail,
} from './citizens.repo';
import { openCitizenSession, safeReturnTo, type CitizenSession } from './citizens.service';

const OidcProviderSchema = Type.Object(
  {
    /** In URLs (`/api/me/oidc/<id>/start`) and stored with each identity: never rename one in use. */
    id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    /** The button reads "S'identifier avec <label>". */
    label: Type.String({ minLength: 1, maxLength: 60 }),
    issuer: Type.String({ pattern: '^https?://' }),
    clientId: Type.String({ minLength: 1 }),
    clientSecret: Type.String({ minLength: 1 }),
    scope: Type.String({ default: 'openid email' }),
    /** Extra authorization parameters a provider requires (FranceConnect: `acr_values`). */
    params: Type.Record(Type.String(), Type.String(), { default: {} }),
    /**
     * Take the provider's `email` as verified even without `email_verified` (FranceConnect sends
     * none, its addresses come from identity providers). Only verified addresses link accounts.
     */
    trustEmail: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type OidcProviderConfig = Static<typeof OidcProviderSchema>;

/** Reads the `OIDC_PROVIDERS` setting (a JSON array, empty for none); every problem in one error. */
export function parseOidcProviders(json: string): OidcProviderConfig[] {
  if (json.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('invalid configuration:\n  OIDC_PROVIDERS: not valid JSON');
  }
  const schema = Type.Array(OidcProviderSchema);
  const value = Value.Default(schema, parsed);
  const errors = [...Value.Errors(schema, value)];
  if (errors.length > 0) {
    const lines = errors.map((e) => `  OIDC_PROVIDERS${e.instancePath.replaceAll('/', '.')}: ${e.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const providers = value as OidcProviderConfig[];
  const ids = providers.map((p) => p.id);
  if (new Set(ids).size !== ids.length) throw new Error('invalid configuration:\n  OIDC_PROVIDERS: ids must be unique');
  for (const p of providers) {
    if (new URL(p.issuer).protocol === 'http:' && !isLoopback(p.issuer)) {
      throw new Error(`invalid configuration:\n  OIDC_PROVIDERS: ${p.id} issuer must use https`);
    }
  }
  return providers;
}

// Plain HTTP is accepted for a provider on this machine only (a local test or development provider).
function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

export interface OidcSignIn {
  /** The provider's authorization URL to redirect the browser to. */
  url: string;
  /** Also set as a short-lived cookie: the callback must come back to the browser that started. */
  state: string;
}

export interface OidcClients {
  /** The configured providers, as sign-in buttons. */
  list(): OidcProviderInfo[];
  /** Starts a sign-in: a one-use state, a nonce and a PKCE (S256) verifier, stored server-side. */
  start(db: Pool, providerId: string, returnTo: string | undefined): Promise<OidcSignIn>;
  /**
   * Finishes a sign-in from the provider's redirect: the state must match the browser's cookie and
   * be unused; openid-client then checks the code with the PKCE verifier and the ID token's nonce.
   */
  finish(
    db: Pool,
    providerId: string,
    input: { callbackUrl: URL; stateCookie: string | undefined; language: Locale },
  ): Promise<CitizenSession & { returnTo: string }>;
  /**
   * Where to send the browser to sign out at the provider too (RP-initiated logout, with the ID token
   * as `id_token_hint`, back to /compte), or null when the provider has no such endpoint or is away.
   */
  logoutUrl(providerId: string, idToken: string): Promise<string | null>;
}

/** Sign-in with the configured OpenID Connect providers; provider metadata is discovered once, lazily. */
export function createOidcClients(providers: OidcProviderConfig[], publicBaseUrl: string): OidcClients {
  const base = publicBaseUrl.replace(/\/$/, '');
  const byId = new Map(providers.map((p) => [p.id, p]));
  const configurations = new Map<string, Promise<oidc.Configuration>>();
  const redirectUri = (id: string) => `${base}/api/me/oidc/${id}/callback`;

  function provider(id: string): OidcProviderConfig {
    const found = byId.get(id);
    if (!found) throw new AppError('OIDC_PROVIDER_UNKNOWN', 'No such sign-in provider.');
    return found;
  }

  function configuration(p: OidcProviderConfig): Promise<oidc.Configuration> {
    let pending = configurations.get(p.id);
    if (!pending) {
      pending = oidc
        .discovery(new URL(p.issuer), p.clientId, p.clientSecret, undefined, {
          execute: isLoopback(p.issuer) ? [oidc.allowInsecureRequests] : [],
          timeout: 10,
        })
        .catch((error: unknown) => {
          // Not cached: the next sign-in tries again once the provider is back.
          configurations.delete(p.id);
          throw error;
        });
      configurations.set(p.id, pending);
    }
    return pending.catch(() => {
      throw new AppError('OIDC_PROVIDER_UNAVAILABLE', `${p.label} cannot be reached; try again later.`);
    });
  }

  return {
    list: () => providers.map((p) => ({ id: p.id, label: p.label })),

    async start(db, providerId, returnTo) {
      const p = provider(providerId);
      const config = await configuration(p);
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      await insertOidcState(db, {
        state,
        provider: p.id,
        nonce,
        codeVerifier,
        returnTo: safeReturnTo(returnTo),
        expiresAt: new Date(Date.now() + CITIZEN_LIMITS.oidcStateMinutes * 60_000),
      });
      const url = oidc.buildAuthorizationUrl(config, {
        ...p.params,
        redirect_uri: redirectUri(p.id),
        scope: p.scope,
        response_type: 'code',
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, state };
    },

    async finish(db, providerId, input) {
      const p = provider(providerId);
      const state = input.callbackUrl.searchParams.get('state') ?? '';
      // A state this browser did not start (login CSRF), already used, or expired.
      if (!state || state !== input.stateCookie) {
        throw new AppError('OIDC_STATE_INVALID', 'This sign-in was not started here, or has expired.');
      }
      const pending = await consumeOidcState(db, state, p.id);
      if (!pending) throw new AppError('OIDC_STATE_INVALID', 'This sign-in was not started here, or has expired.');
      const config = await configuration(p);
      // The provider's own redirect URI: the checks compare against what was registered, not what proxies made of it.
      const currentUrl = new URL(redirectUri(p.id));
      currentUrl.search = input.callbackUrl.search;
      let claims: { sub: string; email?: unknown; email_verified?: unknown };
      let idToken: string | undefined;
      try {
        const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims()!;
        idToken = tokens.id_token;
        if (claims.email === undefined && p.scope.split(' ').includes('email')) {
          // Some providers (FranceConnect) give the address only from the userinfo endpoint.
          claims = { ...claims, ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)) };
        }
      } catch (error) {
        if (error instanceof AppError) throw error;
        // A refused, replayed or forged code, a wrong verifier or nonce: all the client's or provider's word.
        throw new AppError('OIDC_CODE_INVALID', 'The sign-in could not be completed; please try again.');
      }
      const email =
        typeof claims.email === 'string' && (claims.email_verified === true || p.trustEmail)
          ? claims.email.trim().toLowerCase()
          : null;
      const accountId = await findOrCreateOidcAccount(db, {
        provider: p.id,
        subject: claims.sub,
        email: email && email.length <= 254 ? email : null,
        language: input.language,
      });
      const session = await openCitizenSession(db, accountId, idToken ? { provider: p.id, idToken } : null);
      return { ...session, returnTo: pending.returnTo };
    },

    async logoutUrl(providerId, idToken) {
      const p = byId.get(providerId);
      if (!p) return null;
      const config = await configuration(p).catch(() => null);
      if (!config?.serverMetadata().end_session_endpoint) return null;
      return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: `${base}/compte` })
        .href;
    },
  };
}

/**
 * The account of a provider identity: the one already linked to it, else the one of its verified
 * address, else a new one. A provider address is never trusted unless verified: that would let
 * whoever controls a provider take over the account of any address.
 */
async function findOrCreateOidcAccount(
  db: Pool,
  identity: { provider: string; subject: string; email: string | null; language: Locale },
): Promise<string> {
  const linked = await findIdentityAccountId(db, identity.provider, identity.subject);
  if (linked) {
    await touchCitizenLogin(db, linked);
    return linked;
  }
  return withTransaction(db, async (tx) => {
    const accountId = identity.email
      ? await upsertCitizenByEmail(tx, identity.email, identity.language)
      : await insertCitizenWithoutEmail(tx, identity.language);
    return linkIdentity(tx, identity.provider, identity.subject, accountId);
  });
}
