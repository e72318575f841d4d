import { describe, expect, it } from 'vitest';
import { ErrorBodySchema, errorResponses } from './errors';

describe('errorResponses', () => {
  it('answers the error body schema under each status given', () => {
    expect(errorResponses(400, 404, 503)).toEqual({ 400: ErrorBodySchema, 404: ErrorBodySchema, 503: ErrorBodySchema });
  });
});
