import { describe, expect, it } from 'vitest';
import { fr, type MessageKey } from '../../i18n/fr';
import { ApiError } from '../../lib/api-client';
import { describeError } from './admin-errors';

const t = (key: MessageKey, vars: Record<string, string | number> = {}) =>
  String(fr[key]).replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole));

describe('describeError', () => {
  it('says how much of an area lies outside which town, from the API sentence (admin-areas.service.ts)', () => {
    const refusal = new ApiError(
      'AREA_OUTSIDE_TOWN',
      422,
      '17.2 ha of the area (52.6 %) lie outside Montreuil (93048), mostly in Paris; ' +
        'at most 5 % of an area and 50 ha may lie outside its town.',
    );
    expect(describeError(refusal, t)).toEqual({
      title:
        'Le secteur déborde trop de sa commune : au plus 5 % de sa surface, et 50 ha, peuvent se trouver hors de ses limites.',
      detail: '17.2 ha (52.6 %) hors de Montreuil, surtout dans Paris.',
    });
  });

  it('says when the part outside lies in no known town', () => {
    const refusal = new ApiError(
      'AREA_OUTSIDE_TOWN',
      422,
      '13.1 ha of the area (100 %) lie outside Montreuil (93048), in no known town; at most 5 % of an area and 50 ha may lie outside its town.',
    );
    expect(describeError(refusal, t).detail).toBe('13.1 ha (100 %) hors de Montreuil, dans aucune commune connue.');
  });

  it('gives the title alone when the sentence is not the expected one', () => {
    const refusal = new ApiError('AREA_OUTSIDE_TOWN', 422, 'Something else.');
    expect(describeError(refusal, t).detail).toBe('');
    expect(describeError(new ApiError('TOWN_NOT_CHANGEABLE', 409, 'x'), t).title).toMatch(/ne change pas de commune/);
  });
});
