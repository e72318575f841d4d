import {
  confirmFollow,
  createReport,
  createStaffUser,
  type Geocoder,
  insertPendingFollower,
  routeReport,
  type CreateReportInput,
  type Pool,
  type Storage,
  type TokenSigner,
} from '@pave/core';
import type { CreatedReport, Locale, StaffRole } from '@pave/shared';
import type { FastifyInstance } from 'fastify';
import { fixturePhoto, POINT_PARIS_11 } from './multipart';

/** What the core services need to file, route and follow reports: the stack's `deps`. */
export interface ServiceDeps {
  db: Pool;
  storage: Storage;
  tokens: TokenSigner;
  /** The API's geocoder (the local index unless the stack says otherwise): filed reports get their address. */
  geocoder: Geocoder;
}

export interface Point {
  lon: number;
  lat: number;
}

export interface ReportSpec extends Omit<CreateReportInput, 'lat' | 'lon' | 'photos'> {
  /** Where the report stands; the 11th arrondissement unless said. */
  point?: Point;
  /** Fixture photo names (`tests/fixtures/photos`). */
  photos?: string[];
}

/** Files a pothole in the 11th (or what `spec` says) through the real `createReport`, as the form does. */
export function fileReport(deps: ServiceDeps, spec: ReportSpec = {}): Promise<CreatedReport> {
  const { point = POINT_PARIS_11, photos = [], category = 'nid-de-poule', ...rest } = spec;
  return createReport(deps, {
    category,
    lat: String(point.lat),
    lon: String(point.lon),
    photos: photos.map((name) => ({ data: fixturePhoto(name), filename: name })),
    ...rest,
  });
}

/** Routes a report with the code the `report.route` job runs; fails the test when no rule matched. */
export async function routeFiledReport(db: Pool, reportId: string) {
  const outcome = await routeReport(db, reportId);
  if (outcome.outcome !== 'routed' && outcome.outcome !== 'already-routed') {
    throw new Error(`report ${reportId} not routed: ${outcome.outcome}`);
  }
  return outcome;
}

/** Files a report and routes it at once, as the worker would a moment later (without running one). */
export async function fileRoutedReport(deps: ServiceDeps, spec: ReportSpec = {}): Promise<CreatedReport> {
  const report = await fileReport(deps, spec);
  await routeFiledReport(deps.db, report.id);
  return report;
}

/**
 * A follower who asked to follow and opened the confirmation link, the way the API and the mail make
 * one; returns their private token. For tests about what a follower then receives or may do.
 */
export async function addConfirmedFollower(
  deps: { db: Pool; tokens: TokenSigner },
  input: { reportId: string; email: string; language?: Locale },
): Promise<{ followerToken: string }> {
  const followerId = await insertPendingFollower(deps.db, input.reportId, input.email, input.language);
  return confirmFollow(deps, { reportId: input.reportId, token: deps.tokens.followConfirmationToken(followerId) });
}

/** The password of every staff account the kit creates. */
export const STAFF_PASSWORD = 'correct horse battery';

export interface StaffAccount {
  role: StaffRole;
  teamCode?: string;
  service?: string;
  displayName?: string;
  /** `<name in lower case>@ville.test` unless said. */
  email?: string;
  /** The town the account works for (INSEE code); none: a metropolitan account. */
  townCode?: string;
}

/** A crew of voirie-11, the road service's supervisor, a council analyst and an admin: `useStack({ staff: … })`. */
export const STAFF_OF_EACH_ROLE = {
  crew: { role: 'crew', teamCode: 'voirie-11' },
  supervisor: { role: 'supervisor', service: 'voirie' },
  council: { role: 'council' },
  admin: { role: 'admin' },
} as const satisfies Record<string, StaffAccount>;

/** Two road crews (the 11th's, the 15th's), the road and the cleaning supervisors, council and admin: for scope tests. */
export const STAFF_OF_TWO_TEAMS = {
  crew11: { role: 'crew', teamCode: 'voirie-11' },
  crew15: { role: 'crew', teamCode: 'voirie-15' },
  supervisor: { role: 'supervisor', service: 'voirie' },
  otherSupervisor: { role: 'supervisor', service: 'proprete' },
  council: { role: 'council' },
  admin: { role: 'admin' },
} as const satisfies Record<string, StaffAccount>;

export interface SignedInStaff {
  id: number;
  email: string;
  /** The `cookie` header of their session. */
  headers: { cookie: string };
}

/** Signs in through `POST /api/auth/login`; returns the session's `cookie` header, or fails the test. */
export async function signIn(app: FastifyInstance, email: string, password = STAFF_PASSWORD): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const session = response.cookies.find((c) => c.name === 'pave_session');
  if (response.statusCode !== 200 || !session) {
    throw new Error(`sign-in of ${email} failed: ${response.statusCode} ${response.body}`);
  }
  return `pave_session=${session.value}`;
}

/** Creates a staff account named `name` with the kit's password and signs it in. */
export async function signInNewStaff(
  deps: { app: FastifyInstance; pool: Pool },
  name: string,
  account: StaffAccount,
): Promise<SignedInStaff> {
  const email = account.email ?? `${name.toLowerCase()}@ville.test`;
  const user = await createStaffUser(deps.pool, { ...account, email, password: STAFF_PASSWORD });
  return { id: user.id, email, headers: { cookie: await signIn(deps.app, email) } };
}
