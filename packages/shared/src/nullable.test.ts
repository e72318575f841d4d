import Ajv from 'ajv';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { Nullable } from './nullable';

// The API's validator settings (apps/api/src/app.ts): scalars are coerced.
const ajv = new Ajv({ coerceTypes: true });

function validated(schema: object, value: unknown): { ok: boolean; value: unknown } {
  const data = { value };
  const ok = ajv.compile({ type: 'object', properties: { value: schema } })(data);
  return { ok, value: data.value };
}

describe('Nullable', () => {
  it('keeps an explicit null, where anyOf [scalar, null] turned it into 0 or ""', () => {
    // What it replaces, for the record of why.
    expect(validated(Type.Union([Type.Integer(), Type.Null()]), null).value).toBe(0);
    expect(validated(Type.Union([Type.String(), Type.Null()]), null).value).toBe('');

    expect(validated(Nullable(Type.Integer({ minimum: 0 })), null)).toEqual({ ok: true, value: null });
    expect(validated(Nullable(Type.String({ maxLength: 3 })), null)).toEqual({ ok: true, value: null });
    expect(validated(Nullable(Type.Boolean()), null)).toEqual({ ok: true, value: null });
  });

  it('still coerces and checks what is not null', () => {
    expect(validated(Nullable(Type.Integer({ minimum: 0 })), '5')).toEqual({ ok: true, value: 5 });
    expect(validated(Nullable(Type.Integer({ minimum: 0 })), 0)).toEqual({ ok: true, value: 0 });
    expect(validated(Nullable(Type.Integer({ minimum: 0 })), -1).ok).toBe(false);
    expect(validated(Nullable(Type.String({ maxLength: 3 })), '')).toEqual({ ok: true, value: '' });
    expect(validated(Nullable(Type.String({ maxLength: 3 })), 'abcd').ok).toBe(false);
  });

  it('leaves objects and arrays as a union with null first', () => {
    const list = Nullable(Type.Array(Type.Integer()));
    expect(validated(list, null)).toEqual({ ok: true, value: null });
    expect(validated(list, [1, 2])).toEqual({ ok: true, value: [1, 2] });
    expect(validated(list, 'x').ok).toBe(false);
  });
});
