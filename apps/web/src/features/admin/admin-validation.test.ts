import { describe, expect, it } from 'vitest';
import { CODE_PATTERN_ATTRIBUTE, codeProblem, emailProblem } from './admin-validation';

describe('admin field checks', () => {
  it('gives a pattern that browsers can compile with the v flag, as they do for pattern=""', () => {
    // What Chrome does with a pattern attribute: ^(?:pattern)$ with the v flag.
    const compile = (pattern: string) => new RegExp(`^(?:${pattern})$`, 'v');
    expect(() => compile('[a-z0-9-]+')).toThrow(SyntaxError);
    const code = compile(CODE_PATTERN_ATTRIBUTE);
    expect(code.test('voirie-12')).toBe(true);
    expect(code.test('Voirie 12')).toBe(false);
  });

  it('says what is wrong with a code or an address, or nothing', () => {
    expect(codeProblem('voirie-12', true)).toBeNull();
    expect(codeProblem('', true)).toBe('admin.field.required');
    expect(codeProblem('', false)).toBeNull();
    expect(codeProblem('Voirie 12', true)).toBe('admin.field.codeFormat');
    expect(codeProblem('a'.repeat(81), true)).toBe('admin.field.codeTooLong');
    expect(emailProblem('equipe@ville.test', true)).toBeNull();
    expect(emailProblem('equipe@', false)).toBe('admin.error.EMAIL_INVALID');
  });
});
