import type { FastifyInstance } from 'fastify';
import { symbols } from 'pino';

/**
 * Keeps the app's log lines in memory instead of printing them. Request loggers are pino children
 * of `app.log` and inherit its stream, so replacing the root's stream catches every line; the app
 * must be built with a LOG_LEVEL that lets the lines of interest through.
 */
export function captureLogs(app: FastifyInstance): string[] {
  const lines: string[] = [];
  (app.log as unknown as Record<symbol, unknown>)[symbols.streamSym] = {
    write: (line: string) => lines.push(line),
  };
  return lines;
}
