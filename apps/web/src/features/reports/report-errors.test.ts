import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { fr } from '../../i18n/fr';
import { ApiError } from '../../lib/api-client';
import { describeSubmitError } from './report-errors';

// The dictionary's own sentence for a key, as the app's translator gives it for these plain messages.
const t = (dictionary: Record<string, unknown>) =>
  ((key: string) => String(dictionary[key] ?? key)) as Parameters<typeof describeSubmitError>[1];

describe('describeSubmitError', () => {
  it('tells a resident that the photo store is down, that nothing was sent and what to do', () => {
    const error = new ApiError('STORAGE_UNAVAILABLE', 503, 'The photo store cannot be reached.');
    expect(describeSubmitError(error, t(fr))).toMatch(/rien n'a été envoyé.*sans photo/);
    expect(describeSubmitError(error, t(en))).toMatch(/nothing was sent.*without a photo/);
  });

  it('falls back to the generic sentence for a code it does not know', () => {
    expect(describeSubmitError(new ApiError('SOMETHING_ELSE', 500, ''), t(fr))).toBe(fr['error.generic']);
  });
});
