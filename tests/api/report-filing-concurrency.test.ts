import { describe, expect, it } from 'vitest';
import { fileReport } from '../support/factories';
import { useStack } from '../support/stack';

// Reports of one category filed at once do not queue behind each other's transactions (migration 034):
// the per-day category count used to be locked from the insert to the end of the filing transaction.
const stack = useStack({ api: false });

const countsOf = async (code: string) =>
  (
    await stack.pool.query<{ n: number }>(
      `SELECT coalesce(sum(d.n), 0)::int AS n FROM category_daily_counts d
         JOIN categories c ON c.id = d.category_id WHERE c.code = $1`,
      [code],
    )
  ).rows[0]!.n;

describe('filing reports of one category at once', () => {
  it('files a second report while the first is still in its transaction, and counts both at commit', async () => {
    const before = await countsOf('nid-de-poule');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inTransaction!: () => void;
    const entered = new Promise<void>((resolve) => (inTransaction = resolve));
    // The first filing stops inside its transaction (as one storing its photos on a slow store would).
    const first = fileReport(stack.deps, {
      description: 'first, held open',
      onCreated: async () => {
        inTransaction();
        await held;
      },
    });
    await entered;
    try {
      const second = fileReport(stack.deps, { description: 'second' });
      const outcome = await Promise.race([
        second.then(() => 'filed'),
        new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5_000)),
      ]);
      expect(outcome).toBe('filed');
      // Counted at commit: the held report is not counted yet.
      expect(await countsOf('nid-de-poule')).toBe(before + 1);
    } finally {
      release();
    }
    await first;
    expect(await countsOf('nid-de-poule')).toBe(before + 2);
  });
});
