import { describe, expect, it } from 'vitest';
import { fr, type MessageKey } from '../../i18n/fr';
import { frStaff } from '../../i18n/fr-staff';
import { ApiError } from '../../lib/api-client';
import { describeError } from './admin-errors';

const messages: Record<MessageKey, unknown> = { ...fr, ...frStaff };
const t = (key: MessageKey, vars: Record<string, string | number> = {}) =>
  String(messages[key]).replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole));

const refusal = (mostlyIn: string | null, hectares: number, share: number) =>
  new ApiError('AREA_OUTSIDE_TOWN', 422, 'An English sentence for developers, never read here.', {
    outsideTown: { hectares, share, town: '93048', townName: 'Montreuil', mostlyIn },
  });

describe('describeError', () => {
  it('says how much of an area lies outside which town, from the figures the API sends with the code', () => {
    expect(describeError(refusal('Paris', 17.2391, 0.52613), t)).toEqual({
      title:
        'Le secteur déborde trop de sa commune : au plus 5 % de sa surface, et 50 ha, peuvent se trouver hors de ses limites.',
      detail: '17.2 ha (52.6 %) hors de Montreuil, surtout dans Paris.',
    });
  });

  it('says when the part outside lies in no known town', () => {
    expect(describeError(refusal(null, 13.1, 1), t).detail).toBe(
      '13.1 ha (100 %) hors de Montreuil, dans aucune commune connue.',
    );
  });

  it('says where an invalid outline goes wrong, from the place the API sends', () => {
    const crossed = new ApiError(
      'GEOMETRY_INVALID',
      422,
      'The polygon is not valid: Self-intersection[2.355 48.855].',
      {
        location: { lon: 2.355, lat: 48.855 },
      },
    );
    expect(describeError(crossed, t).detail).toBe(t('admin.error.at', { lon: '2.355', lat: '48.855' }));
    expect(describeError(crossed, t).detail).toContain('2.355');
  });

  it('gives the title alone when the answer carries no figures', () => {
    expect(describeError(new ApiError('AREA_OUTSIDE_TOWN', 422, 'Something else.'), t).detail).toBe('');
    expect(describeError(new ApiError('TOWN_NOT_CHANGEABLE', 409, 'x'), t).title).toMatch(/ne change pas de commune/);
  });
});
