import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { TEST_ENV } from './env';
import { STAFF_PASSWORD, type SignedInStaff } from './factories';

export const ARTIFACTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../e2e/artifacts');

/** Debian's Chromium, headless, with the background traffic that this closed network refuses turned off. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: TEST_ENV.chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where a test keeps a screenshot or a download: `page.screenshot({ path: artifact('x.png') })`. */
export function artifact(name: string): string {
  return path.join(ARTIFACTS_DIR, name);
}

/** A phone held upright: 360×740, touch, two pixels a point. */
export const PHONE = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
} as const satisfies BrowserContextOptions;
/** A larger phone: 390×844, touch, two pixels a point. */
export const LARGE_PHONE = { ...PHONE, viewport: { width: 390, height: 844 } } as const satisfies BrowserContextOptions;
export const TABLET = { viewport: { width: 820, height: 1180 } } as const satisfies BrowserContextOptions;
export const LAPTOP = { viewport: { width: 1366, height: 900 } } as const satisfies BrowserContextOptions;
export const DESKTOP = { viewport: { width: 1280, height: 900 } } as const satisfies BrowserContextOptions;

export interface PageOptions extends BrowserContextOptions {
  /** Where the device says it stands, the location permission granted; `accuracy` in metres (12 unless said). */
  at?: { lat: number; lon: number; accuracy?: number };
  /** A staff member signed in already: their session cookie is set for the stack's address. */
  signedIn?: SignedInStaff;
}

/**
 * A new page in a browser context of its own (`page.context()`, to close), on a device of the
 * constants above or none, in French unless `locale` says: `openPage(stack, { ...PHONE, at: POINT_PARIS_11 })`.
 */
export async function openPage(
  stack: { browser: Browser; baseUrl: string },
  { at, signedIn, ...options }: PageOptions = {},
): Promise<Page> {
  const context = await stack.browser.newContext({
    locale: 'fr-FR',
    ...(at && {
      geolocation: { latitude: at.lat, longitude: at.lon, accuracy: at.accuracy ?? 12 },
      permissions: ['geolocation'],
    }),
    ...options,
  });
  if (signedIn) {
    const [name, value] = signedIn.headers.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: stack.baseUrl }]);
  }
  return context.newPage();
}

/** Opens `url` (a staff page, which asks for a sign-in first) and signs in there with the kit's password. */
export async function signInAt(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Adresse e-mail professionnelle').fill(email);
  await page.getByLabel('Mot de passe').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** The page's uncaught errors, as they happen: a test ends with `expect(errors).toEqual([])`. */
export function trackPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
