import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error oidc-provider ships no type declarations
import Provider from 'oidc-provider';

export interface TestOidcAccount {
  sub: string;
  email?: string;
  emailVerified?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The `OIDC_PROVIDERS` value for an API whose public base URL is `publicBaseUrl`. */
  providersConfig(id: string, label: string): string;
  /**
   * Plays the person at the provider: opens the authorization URL, signs in as `account` in the
   * login interaction, follows the provider's redirects with its cookies, and returns the URL the
   * provider sends the browser back to (the API's callback, with `code` and `state`).
   */
  signIn(authorizationUrl: string, account: TestOidcAccount): Promise<URL>;
  /** The account the next login interaction signs in as, for a browser driven through the flow. */
  expectLogin(account: TestOidcAccount): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva's oidc-provider, the certified implementation) on a free
 * loopback port, with one confidential client. PKCE is required; the login interaction is answered
 * by a tiny handler instead of the development login form, which is disabled.
 */
export async function startTestOidcProvider(options: {
  redirectUri: string;
  /** Where the provider may send the browser back after signing out (RP-initiated logout). */
  postLogoutRedirectUri?: string;
}): Promise<TestOidcProvider> {
  const accounts = new Map<string, TestOidcAccount>();
  let nextLogin: TestOidcAccount | null = null;
  const clientId = 'pave-test';
  const clientSecret = 'pave-test-secret-with-enough-entropy-0123456789';

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        ...(options.postLogoutRedirectUri ? { post_logout_redirect_uris: [options.postLogoutRedirectUri] } : {}),
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { methods: ['S256'], required: () => true },
    // Own signing key and lifetimes: the provider's development defaults print warnings.
    jwks: {
      keys: [
        {
          ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
          kid: 'pave-test',
          alg: 'RS256',
          use: 'sig',
        },
      ],
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    features: { devInteractions: { enabled: false } },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: ['pave-test-cookie-key-0123456789abcdef'] },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          ...(account.email ? { email: account.email, email_verified: account.emailVerified ?? false } : {}),
        }),
      };
    },
    // A first-party client: consent is implied, so the only interaction is the login.
    loadExistingGrant: async (ctx: {
      oidc: {
        provider: { Grant: new (init: object) => Grant };
        client: { clientId: string };
        session: { accountId: string };
      };
    }) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email');
      await grant.save();
      return grant;
    },
  });
  // Quiet: the provider warns about its development signing keys, which is what a test wants.
  provider.on('server_error', () => {});
  const callback = provider.callback() as (req: IncomingMessage, res: ServerResponse) => void;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      void (async () => {
        try {
          const details = (await provider.interactionDetails(req, res)) as { prompt: { name: string } };
          if (details.prompt.name !== 'login' || !nextLogin)
            throw new Error(`unexpected prompt ${details.prompt.name}`);
          accounts.set(nextLogin.sub, nextLogin);
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: nextLogin.sub } },
            {
              mergeWithLastSubmission: false,
            },
          );
        } catch (error) {
          res.statusCode = 500;
          res.end(String(error));
        }
      })();
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    providersConfig: (id, label) => JSON.stringify([{ id, label, issuer, clientId, clientSecret }]),
    expectLogin(account) {
      nextLogin = account;
    },
    async signIn(authorizationUrl, account) {
      nextLogin = account;
      const jar = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop += 1) {
        if (url.href.startsWith(options.redirectUri)) return url;
        if (url.origin !== issuer) throw new Error(`redirected away from the provider to ${url.href}`);
        const response = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const cookie of response.headers.getSetCookie()) {
          const [pair] = cookie.split(';');
          const eq = pair!.indexOf('=');
          jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
        }
        const location = response.headers.get('location');
        if (!location) throw new Error(`provider answered ${response.status} at ${url.href}: ${await response.text()}`);
        url = new URL(location, url);
      }
      throw new Error('too many redirects at the provider');
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Grant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
