import type { Pool } from '../db/pool';
import { createStaffUser } from '../staff/auth.service';
import { DEMO_STAFF } from '../staff/demo-accounts';

/** Creates the demo accounts that do not exist yet; returns the ones created. */
export async function seedDemoStaff(pool: Pool): Promise<(typeof DEMO_STAFF)[number][]> {
  const created = [];
  for (const account of DEMO_STAFF) {
    const { rows } = await pool.query('SELECT 1 FROM staff_users WHERE email = $1', [account.email]);
    if (rows.length > 0) continue;
    await createStaffUser(pool, { ...account, displayName: account.email.split('@')[0] });
    created.push(account);
  }
  return created;
}
