import type { Pool } from '../db/pool';
import { createStaffUser } from '../staff/auth.service';
import { DEMO_STAFF } from '../staff/demo-accounts';
import { PARIS_TOWN_CODE } from './demo-towns';

/**
 * Creates the demo accounts that do not exist yet; returns the ones created. A demo account seeded
 * before it had a name (its e-mail prefix stands in) gets its name.
 */
export async function seedDemoStaff(pool: Pool): Promise<(typeof DEMO_STAFF)[number][]> {
  const created = [];
  for (const account of DEMO_STAFF) {
    const { rows } = await pool.query(
      `UPDATE staff_users SET display_name = CASE WHEN display_name = split_part(email, '@', 1) THEN $2 ELSE display_name END
        WHERE email = $1 RETURNING id`,
      [account.email, account.displayName],
    );
    if (rows.length > 0) continue;
    await createStaffUser(pool, account);
    created.push(account);
  }
  // The demo's Paris staff work for Paris; the admin runs the whole deployment (metropolitan: no town).
  await pool.query(
    `UPDATE staff_users SET town_code = $1 WHERE town_code IS NULL AND role <> 'admin' AND email = ANY ($2)`,
    [PARIS_TOWN_CODE, DEMO_STAFF.map((a) => a.email)],
  );
  return created;
}
