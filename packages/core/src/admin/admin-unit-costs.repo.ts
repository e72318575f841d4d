import type { ReportChannel } from '@pave/shared';
import type { Db } from '../db/pool';

export interface UnitCostRow {
  channel: ReportChannel;
  costCents: number;
  updatedAt: string;
}

/** The unit cost of each channel an admin has set (euro cents per report). */
export async function findUnitCosts(db: Db): Promise<UnitCostRow[]> {
  const { rows } = await db.query<{ channel: ReportChannel; cost_cents: number; updated_at: Date }>(
    'SELECT channel, cost_cents, updated_at FROM channel_unit_costs ORDER BY channel',
  );
  return rows.map((r) => ({ channel: r.channel, costCents: r.cost_cents, updatedAt: r.updated_at.toISOString() }));
}

/**
 * Makes concurrent changes of the unit costs wait for each other, for the whole transaction. A change
 * writes its channels in the order it names them: two changes naming them in opposite orders would
 * each hold a row the other waits for, until PostgreSQL ended one with a deadlock error. The mode
 * conflicts with itself and with writes, not with reads.
 */
export async function lockUnitCosts(db: Db): Promise<void> {
  await db.query('LOCK TABLE channel_unit_costs IN SHARE ROW EXCLUSIVE MODE');
}

/** Sets a channel's unit cost, or clears it (null). */
export async function saveUnitCost(
  db: Db,
  change: { channel: ReportChannel; costCents: number | null; userId: number },
): Promise<void> {
  if (change.costCents === null) {
    await db.query('DELETE FROM channel_unit_costs WHERE channel = $1', [change.channel]);
    return;
  }
  await db.query(
    `INSERT INTO channel_unit_costs (channel, cost_cents, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (channel) DO UPDATE SET cost_cents = EXCLUDED.cost_cents, updated_by = EXCLUDED.updated_by,
                                         updated_at = now()`,
    [change.channel, change.costCents, change.userId],
  );
}
