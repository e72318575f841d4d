import { describe, expect, it } from 'vitest';
import { isPrettyLog, logDestination } from './logger';

describe('isPrettyLog', () => {
  it('prettifies on a terminal only when auto, and always or never when told', () => {
    expect(isPrettyLog('auto', { isTTY: true })).toBe(true);
    // Piped, a process manager, CI: stdout has no isTTY at all.
    expect(isPrettyLog('auto', {})).toBe(false);
    expect(isPrettyLog('false', { isTTY: true })).toBe(false);
    expect(isPrettyLog('true', {})).toBe(true);
  });

  it('leaves pino on its own JSON stdout unless pretty', () => {
    expect(logDestination(false)).toBeUndefined();
    expect(logDestination(true)).toBeDefined();
  });
});
