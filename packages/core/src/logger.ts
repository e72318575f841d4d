import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger };

/** LOG_PRETTY: `auto` (the default) prettifies only when stdout is a terminal; `true`/`false` force it. */
export type LogPretty = 'auto' | 'true' | 'false';

/**
 * Whether log lines are for a person at a terminal. `auto` asks whether stdout is a TTY, which it never
 * is under a process manager, in a container's log driver, in CI or piped to a file: there the lines
 * stay JSON, one per line, for whatever collects them.
 */
export function isPrettyLog(setting: LogPretty, output: { isTTY?: boolean } = process.stdout): boolean {
  return setting === 'true' || (setting === 'auto' && output.isTTY === true);
}

/**
 * Where a logger writes: pino-pretty (colours, local time, no pid/hostname) when `pretty`, else
 * undefined, pino's own stdout. In-process rather than a pino transport: the bundled server build has
 * no worker-thread entry to load a transport from, and a terminal's throughput needs none.
 */
export function logDestination(pretty: boolean): DestinationStream | undefined {
  return pretty
    ? pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true })
    : undefined;
}

/** The process logger; bind context with `.child({ reportId })` / `.child({ jobId, attempt })`. */
export function createLogger(options: { level: string; name: string; pretty?: boolean }): Logger {
  const settings: LoggerOptions = { level: options.level, name: options.name };
  const destination = logDestination(options.pretty ?? false);
  return destination ? pino(settings, destination) : pino(settings);
}
