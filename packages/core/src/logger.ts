import { pino, type Logger } from 'pino';

export type { Logger };

/** The process logger; bind context with `.child({ reportId })` / `.child({ jobId, attempt })`. */
export function createLogger(options: { level: string; name: string }): Logger {
  return pino({ level: options.level, name: options.name });
}
