/**
 * What is still English only. Refusals are written in both languages (`t(en, es)`, src/domain/text.ts); this reads
 * the source and lists every refusal still written as a plain English string, so none comes back unnoticed:
 *
 * - the message of `new AppError(…)` and the `reason` of its details;
 * - the message of the domain's errors that carry a Text (`class … extends TextError`);
 * - a schema's own zod message (`.refine(check, '…')`, `{ error: '…' }`, `{ message: '…' }`) in code that answers
 *   API requests, unless written with `zodText(t(…))`, which keeps its Spanish.
 *
 * A reason that is a code a client reads (`reasonCode('wrong_answer')`) or a value (an ISO instant, a count) is not a
 * sentence and is not counted.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'migrations') sourceFiles(path, out);
    } else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** A string literal, a template, or a choice or concatenation of those: text written in place. */
function literal(node: ts.Node | undefined): boolean {
  if (!node) return false;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isParenthesizedExpression(node)) return literal(node.expression);
  if (ts.isConditionalExpression(node)) return literal(node.whenTrue) || literal(node.whenFalse);
  if (ts.isBinaryExpression(node)) return node.operatorToken.kind === ts.SyntaxKind.PlusToken && (literal(node.left) || literal(node.right));
  return false;
}

interface Finding {
  where: string;
  text: string;
}

/** Classes whose message is a Message (they extend TextError), found in the source itself. */
function textErrorClasses(files: readonly string[]): Set<string> {
  const names = new Set(['TextError']);
  let grew = true;
  const declared: Array<{ name: string; base: string }> = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/class (\w+) extends (\w+)/g)) declared.push({ name: m[1]!, base: m[2]! });
  }
  while (grew) {
    grew = false;
    for (const d of declared) {
      if (names.has(d.base) && !names.has(d.name)) {
        names.add(d.name);
        grew = true;
      }
    }
  }
  return names;
}

/** The refusals written in English only in one file's text (`name` relative to the project). */
function scan(name: string, text: string, textErrors: ReadonlySet<string> = new Set(['TextError'])): Finding[] {
  const findings: Finding[] = [];
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const add = (node: ts.Node) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    findings.push({ where: `${name}:${line + 1}`, text: node.getText().slice(0, 120) });
  };
  // Answers to API requests: a schema's own zod messages there reach a person.
  const zodCounts = !name.startsWith('src/cli/') && name !== 'src/config.ts';
  const reasons = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && node.name.getText() === 'reason' && literal(node.initializer)) add(node.initializer);
    ts.forEachChild(node, reasons);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.arguments) {
      const callee = node.expression.getText();
      if (callee === 'AppError') {
        if (literal(node.arguments[1])) add(node.arguments[1]!);
        for (const extra of node.arguments.slice(2)) reasons(extra);
      } else if (textErrors.has(callee)) {
        for (const arg of node.arguments) if (literal(arg)) add(arg);
      }
    }
    if (zodCounts && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      // .refine(check, 'message') and .min(1, 'message')-style checks, with the message as the last argument.
      const last = node.arguments[node.arguments.length - 1];
      if (['refine', 'min', 'max', 'int', 'regex', 'length', 'email', 'url'].includes(method) && node.arguments.length >= 2 && literal(last)) add(last!);
    }
    if (zodCounts && ts.isPropertyAssignment(node) && ['error', 'message'].includes(node.name.getText()) && literal(node.initializer)) {
      // Only in zod parameters: { error: '…' } or { message: '…', path: […] } given to a zod call or a refinement.
      const call = node.parent.parent;
      if (ts.isCallExpression(call)) {
        const callee = call.expression;
        const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (callee.getText().startsWith('z.') || ['refine', 'superRefine', 'addIssue'].includes(method)) add(node.initializer);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** Every refusal still written in English only, in src/. */
function englishOnly(): Finding[] {
  const files = sourceFiles(join(ROOT, 'src'));
  const textErrors = textErrorClasses(files);
  return files.flatMap((file) => scan(relative(ROOT, file), readFileSync(file, 'utf8'), textErrors));
}

describe('refusals in both languages', () => {
  it('leaves none written in English only', () => {
    // Each finding names the file and line of a refusal to write with t(en, es).
    expect(englishOnly().map((f) => `${f.where}: ${f.text}`)).toEqual([]);
  });

  it('finds a refusal written in English only (the scan itself works)', () => {
    const findings = scan('src/modules/example.ts', `
      throw new AppError('conflict', 'already there', [{ path: 'id', reason: 'taken' }]);
      throw new AppError('conflict', t('already there', 'ya existe'), [{ path: 'id', reason: t('taken', 'ocupado') }]);
      const schema = z.string().refine(ok, 'must be ok').min(1, zodText(t('empty', 'vacío')));
    `);
    expect(findings.map((f) => f.text)).toEqual(["'already there'", "'taken'", "'must be ok'"]);
  });
});
