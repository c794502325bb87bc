/**
 * Every command's help is written in both languages: each command, option and argument has a description, and under
 * COBRANZA_LANG=es it is Spanish. A text may read the same in both only when it is made of codes (`csv | xlsx`, a list
 * of channels, a date pattern), which stay as they are.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/io.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { localSession } from '../../src/cli/session.ts';
import { loadConfig } from '../../src/config.ts';
import type { Language } from '../../src/domain/text.ts';
import { fixedClock } from '../../src/modules/shared/clock.ts';

/** Building the program opens nothing: the session is only asked for a database by a command's action. */
function program(language: Language): Command {
  return buildProgram(bufferIO(process.cwd(), language), localSession(loadConfig({}), fixedClock('2026-03-31T18:00:00Z')));
}

/** Every text of the help, keyed by where it is: `cobranza hold add --expires`, `cobranza hold add <debtor>`. */
function helpTexts(command: Command, path = 'cobranza', out = new Map<string, string>()): Map<string, string> {
  out.set(path, command.description());
  for (const option of command.options) out.set(`${path} ${option.long ?? option.short}`, option.description);
  for (const argument of command.registeredArguments) out.set(`${path} <${argument.name()}>`, argument.description);
  for (const sub of command.commands) helpTexts(sub, `${path} ${sub.name()}`, out);
  return out;
}

/** Text made of codes only: values separated by " | " or ", " (with a "plan: " prefix), date patterns, tax ids. */
const CODES = /^(plan: )?[\w.\-/…]+((?: \| |, )[\w.\-/…]+)*$/;

describe('the help of every command', () => {
  const en = helpTexts(program('en'));
  const es = helpTexts(program('es'));

  it('describes every command, option and argument', () => {
    expect([...en.keys()]).toEqual([...es.keys()]);
    expect([...en].filter(([, text]) => !text).map(([where]) => where)).toEqual([]);
  });

  it('is Spanish under COBRANZA_LANG=es, codes aside', () => {
    const same = [...en].filter(([where, text]) => es.get(where) === text && !CODES.test(text));
    expect(same.map(([where, text]) => `${where}: ${text}`)).toEqual([]);
    expect(es.get('cobranza timeline')).toMatch(/^La línea de tiempo de un deudor/);
    expect(es.get('cobranza users add --role')).toBe(en.get('cobranza users add --role'));
  });
});
