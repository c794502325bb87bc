import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueText, zodText } from './zod-issues.ts';
import { t } from './text.ts';

/** The first issue of parsing `value` with `schema`, in both languages. */
function problem(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a problem');
  return issueText(result.error.issues[0]!);
}

describe("zod's problems in plain words", () => {
  it('says what a value must be, in English and in Spanish', () => {
    expect(problem(z.number().int().min(1), 0)).toEqual({ en: 'must be at least 1', es: 'debe ser como mínimo 1' });
    expect(problem(z.number().max(10), 11)).toEqual({ en: 'must be at most 10', es: 'debe ser como máximo 10' });
    expect(problem(z.number().gt(0), 0)).toEqual({ en: 'must be greater than 0', es: 'debe ser mayor que 0' });
    expect(problem(z.string().min(1), '')).toEqual({ en: 'cannot be empty', es: 'no puede estar vacío' });
    expect(problem(z.string().max(3), 'abcd')).toEqual({ en: 'must have at most 3 characters', es: 'debe tener como máximo 3 caracteres' });
    expect(problem(z.array(z.string()).min(1), [])).toEqual({ en: 'must have at least one item', es: 'debe tener al menos un elemento' });
    expect(problem(z.enum(['a', 'b']), 'c')).toEqual({ en: 'must be one of: a, b', es: 'debe ser uno de: a, b' });
    expect(problem(z.literal('x'), 'y')).toEqual({ en: 'must be "x"', es: 'debe ser "x"' });
    expect(problem(z.email(), 'nope')).toEqual({ en: 'must be a valid email address', es: 'debe ser un correo electrónico válido' });
    expect(problem(z.strictObject({ a: z.string() }), { a: 'x', b: 1 })).toEqual({ en: 'field not allowed: b', es: 'campo no admitido: b' });
    expect(problem(z.string(), undefined)).toEqual({ en: 'is required', es: 'es obligatorio' });
    expect(problem(z.string(), 5)).toEqual({ en: 'must be text; got a number', es: 'debe ser texto; se recibió un número' });
  });

  it("keeps a schema's own message", () => {
    const own = zodText(t('must be a weekday', 'debe ser un día hábil'));
    expect(problem(z.string().refine(() => false, own), 'x')).toEqual({ en: 'must be a weekday', es: 'debe ser un día hábil' });
    expect(problem(z.string().refine(() => false, 'must be a holiday'), 'x')).toBe('must be a holiday');
  });
});
