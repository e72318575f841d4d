import { CHANNEL_LABELS, REPORT_CHANNELS, type UnitCosts, type UnitCostsPut } from '@pave/shared';
import { withTransaction, type Pool } from '../db/pool';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { recordChange } from './admin-audit.service';
import { findUnitCosts, lockUnitCosts, saveUnitCost, type UnitCostRow } from './admin-unit-costs.repo';

function present(rows: UnitCostRow[]): UnitCosts {
  const byChannel = new Map(rows.map((r) => [r.channel, r]));
  return {
    costs: REPORT_CHANNELS.map((channel) => ({
      channel,
      label: CHANNEL_LABELS[channel],
      costCents: byChannel.get(channel)?.costCents ?? null,
      updatedAt: byChannel.get(channel)?.updatedAt ?? null,
    })),
  };
}

/** Every channel with its unit cost, null where none is set. */
export async function listUnitCosts(deps: { db: Pool }, user: StaffUser): Promise<UnitCosts> {
  requireRole(user, ['admin']);
  return present(await findUnitCosts(deps.db));
}

/** Sets the unit costs given, clears those given without a cost; the others stay. Audited as one change. */
export async function setUnitCosts(deps: { db: Pool }, user: StaffUser, body: UnitCostsPut): Promise<UnitCosts> {
  requireRole(user, ['admin']);
  return withTransaction(deps.db, async (tx) => {
    await lockUnitCosts(tx);
    const before = present(await findUnitCosts(tx));
    for (const { channel, costCents } of body.costs) {
      await saveUnitCost(tx, { channel, costCents: costCents ?? null, userId: user.id });
    }
    const after = present(await findUnitCosts(tx));
    const costs = (u: UnitCosts) => Object.fromEntries(u.costs.map((c) => [c.channel, c.costCents]));
    await recordChange(tx, user, 'costs.update', { id: 'channels', before: costs(before), after: costs(after) });
    return after;
  });
}
