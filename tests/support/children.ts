import type { ChildProcess } from 'node:child_process';

/** Children still running, with the signal that ends each at once (nginx's master stops its workers on SIGTERM). */
const running = new Map<ChildProcess, NodeJS.Signals>();
let installed = false;

function killAll(): void {
  for (const [child, signal] of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
  running.clear();
}

/**
 * Ends `child` with this process, however this process ends short of SIGKILL: a test run or benchmark
 * stopped by Ctrl-C, `kill`, a timeout or a thrown error leaves no API, worker, Redis or nginx behind
 * (they would hold their ports and the shared database). The normal stops (stopProcess, kill) still run
 * first; this only catches what they never reached.
 */
export function endWithThisProcess<T extends ChildProcess>(child: T, signal: NodeJS.Signals = 'SIGKILL'): T {
  running.set(child, signal);
  child.once('exit', () => running.delete(child));
  if (!installed) {
    installed = true;
    process.once('exit', killAll);
    for (const [name, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      process.once(name, () => {
        killAll();
        process.exit(code);
      });
    }
  }
  return child;
}
