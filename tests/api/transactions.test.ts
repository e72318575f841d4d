import { withTransaction } from '@pave/core';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';

const stack = useStack({ api: false });

describe('withTransaction', () => {
  it('fails, instead of answering success, when a statement failed inside and its error was caught', async () => {
    const code = `swallowed-${Date.now()}`;
    const attempt = withTransaction(stack.pool, async (tx) => {
      await tx.query(`INSERT INTO teams (code, name) VALUES ($1, 'Équipe perdue')`, [code]);
      // A best-effort statement whose failure is caught: PostgreSQL has aborted the transaction.
      await tx.query('SELECT 1 / 0').catch(() => {});
      return 'stored';
    });
    await expect(attempt).rejects.toThrow(/rolled back at COMMIT/);
    const { rows } = await stack.pool.query('SELECT 1 FROM teams WHERE code = $1', [code]);
    expect(rows).toHaveLength(0);
  });

  it('commits work that went through', async () => {
    const code = `kept-${Date.now()}`;
    await withTransaction(stack.pool, (tx) =>
      tx.query(`INSERT INTO teams (code, name) VALUES ($1, 'Équipe gardée')`, [code]),
    );
    const { rows } = await stack.pool.query('SELECT 1 FROM teams WHERE code = $1', [code]);
    expect(rows).toHaveLength(1);
  });
});
