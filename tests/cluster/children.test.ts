import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait';

const PARENT = path.join(import.meta.dirname, 'fixtures/parent-of-sleeper.ts');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the stand-in run; resolves with it and its child's pid once the child is up. */
async function startParent(mode: 'wait' | 'throw') {
  const parent = spawn(process.execPath, ['--import', 'tsx', PARENT, mode], { stdio: ['ignore', 'pipe', 'ignore'] });
  const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
  const childPid = Number(String(line).trim());
  expect(childPid).toBeGreaterThan(0);
  return { parent, childPid, exited: once(parent, 'exit') as Promise<[number | null, NodeJS.Signals | null]> };
}

// Servers the storm, the cluster tests and the benches start (APIs, workers, Redis, nginx) must not
// outlive a run that is stopped: they would hold their ports and the shared database.
describe('children started by a test run or benchmark', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('end when the run is stopped with %s', async (signal) => {
    const { parent, childPid, exited } = await startParent('wait');
    expect(isAlive(childPid)).toBe(true);
    parent.kill(signal);
    const [code] = await exited;
    expect(code).toBe(signal === 'SIGTERM' ? 143 : 130);
    await waitFor(async () => !isAlive(childPid), { what: 'the child to end', timeoutMs: 5_000 });
  });

  it('end when the run dies of an uncaught error', async () => {
    const { childPid, exited } = await startParent('throw');
    const [code] = await exited;
    expect(code).not.toBe(0);
    await waitFor(async () => !isAlive(childPid), { what: 'the child to end', timeoutMs: 5_000 });
  });
});
