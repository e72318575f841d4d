import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { endWithThisProcess } from './children';
import { waitFor } from './wait';

/** A free loopback port (the OS picks one; it stays free until a server of ours claims it a moment later). */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
}

export interface PrivateRedis {
  url: string;
  /** Starts redis-server (empty: nothing is persisted) and resolves once it answers PING. */
  start(): Promise<void>;
  /** Kills it with SIGKILL, as a crash: every key is lost. A no-op when it is not running. */
  stop(): Promise<void>;
}

/** A private Redis on a free port that a test may stop and start: the shared one on 6379 is never touched. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let process: ChildProcess | null = null;
  const start = async () => {
    process = endWithThisProcess(
      spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      }),
    );
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await waitFor(
        () =>
          probe.connect().then(
            () => probe.ping().then((p) => p === 'PONG'),
            () => false,
          ),
        {
          what: 'redis-server to answer',
        },
      );
    } finally {
      probe.disconnect();
    }
  };
  const stop = async () => {
    const running = process;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    // A crash, not a shutdown: nothing is saved (and --save '' keeps nothing anyway).
    running.kill('SIGKILL');
    await exited;
  };
  return { url, start, stop };
}
