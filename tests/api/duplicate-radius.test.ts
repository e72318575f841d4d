import { describe, expect, it } from 'vitest';
import { fileRoutedReport, STAFF_OF_EACH_ROLE, type Point } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

const stack = useStack({ staff: STAFF_OF_EACH_ROLE });

const METRE_LAT = 1 / 111_320;
const north = (p: Point, metres: number) => ({ lon: p.lon, lat: p.lat + metres * METRE_LAT });

const setRadius = (duplicateRadiusM: unknown, who: keyof typeof stack.staff = 'admin') =>
  stack.app.inject({
    method: 'PATCH',
    url: '/api/admin/categories/nid-de-poule',
    headers: stack.as(who),
    payload: { duplicateRadiusM },
  });

const residentNearby = async (point: Point) => {
  const response = await stack.app.inject({
    url: `/api/reports/nearby?lat=${point.lat}&lon=${point.lon}&category=nid-de-poule`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { radiusMeters: number; reports: { ref: string }[] };
};

const staffNearby = async (id: string) => {
  const response = await stack.app.inject({ url: `/api/staff/reports/${id}/nearby`, headers: stack.as('supervisor') });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { radiusM: number; reports: { ref: string }[] };
};

describe('the duplicate radius, per category', () => {
  it('is 50 m by default and listed for admins', async () => {
    const response = await stack.app.inject({ url: '/api/admin/categories', headers: stack.as('admin') });
    expect(response.statusCode).toBe(200);
    const categories = response.json().categories as { code: string; duplicateRadiusM: number }[];
    expect(categories.find((c) => c.code === 'nid-de-poule')!.duplicateRadiusM).toBe(50);
  });

  it.each([[0], [-10], [1001], [12.5], [4]])('refuses %s m with a 400 and a reason', async (radius) => {
    const response = await setRadius(radius);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'DUPLICATE_RADIUS_INVALID' });
    expect(response.json().message).toContain('5 to 1000');
  });

  it('refuses a non-number with a 400, and anyone but an admin with a 403', async () => {
    expect((await setRadius('loin')).statusCode).toBe(400);
    for (const who of ['crew', 'supervisor', 'council'] as const) {
      const response = await setRadius(200, who);
      expect(response.statusCode, who).toBe(403);
      expect(response.json().code).toBe('FORBIDDEN');
    }
  });

  it("drives the resident's duplicate step and the crews' nearby list", async () => {
    const here = POINT_PARIS_11;
    const first = await fileRoutedReport(stack.deps, { point: here, description: 'Trou' });
    const at120 = await fileRoutedReport(stack.deps, { point: north(here, 120), description: 'Trou aussi' });

    let resident = await residentNearby(north(here, 120));
    expect(resident.radiusMeters).toBe(50);
    expect(resident.reports.map((r) => r.ref)).not.toContain(first.ref);
    let staff = await staffNearby(at120.id);
    expect(staff.radiusM).toBe(50);
    expect(staff.reports.map((r) => r.ref)).not.toContain(first.ref);

    const changed = await setRadius(150);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().duplicateRadiusM).toBe(150);

    resident = await residentNearby(north(here, 120));
    expect(resident.radiusMeters).toBe(150);
    expect(resident.reports.map((r) => r.ref)).toContain(first.ref);
    staff = await staffNearby(at120.id);
    expect(staff.radiusM).toBe(150);
    expect(staff.reports.map((r) => r.ref)).toContain(first.ref);
  });
});
