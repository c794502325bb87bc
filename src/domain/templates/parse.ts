/**
 * The template language: literal text with `{{ variable }}` placeholders (spaces inside the braces optional) and
 * optional sections `{{#variable}} … {{/variable}}` whose content is kept only when the variable has a value (used
 * for "when an agency is involved, identify it"). That is all: no filters, no expressions, no raw output, nothing
 * evaluated. `{{` and `}}` are always syntax; the language has no way to write them literally.
 *
 * Parsing never throws: it returns a tree and the syntax problems found, each with its offset in the field.
 */
import { editDistance } from '../text.ts';
import { isVariableName, VARIABLE_NAMES, type VariableName } from './variables.ts';

export interface TextNode {
  readonly type: 'text';
  readonly value: string;
  readonly start: number;
}
export interface VariableNode {
  readonly type: 'variable';
  readonly name: VariableName;
  readonly start: number;
  readonly end: number;
}
export interface SectionNode {
  readonly type: 'section';
  readonly name: VariableName;
  readonly start: number;
  readonly end: number;
  readonly children: readonly Node[];
}
export type Node = TextNode | VariableNode | SectionNode;

export type SyntaxProblemCode =
  | 'unclosed_placeholder'
  | 'unopened_placeholder'
  | 'triple_braces'
  | 'empty_placeholder'
  | 'invalid_placeholder'
  | 'unknown_variable'
  | 'unclosed_section'
  | 'unopened_section'
  | 'mismatched_section';

export interface SyntaxProblem {
  readonly code: SyntaxProblemCode;
  readonly offset: number;
  /** The placeholder's text as written, e.g. `{{ debtor.nmae }}`. */
  readonly source: string;
  readonly variable?: string;
  /** For unknown variables: the closest catalogue name, when one is close. */
  readonly suggestion?: VariableName;
  /** For mismatched sections: the section that was expected to close. */
  readonly expected?: string;
}

export interface ParseResult {
  readonly nodes: readonly Node[];
  readonly problems: readonly SyntaxProblem[];
}

const NAME_LIKE = /^[A-Za-z0-9_.-]+$/;

interface OpenSection {
  name: VariableName;
  start: number;
  end: number;
  source: string;
  children: Node[];
}

export function parseTemplate(source: string): ParseResult {
  const problems: SyntaxProblem[] = [];
  const root: Node[] = [];
  const stack: OpenSection[] = [];
  const current = (): Node[] => (stack.length > 0 ? stack[stack.length - 1]!.children : root);
  const pushText = (value: string, start: number) => {
    if (value !== '') current().push({ type: 'text', value, start });
  };

  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    const close = source.indexOf('}}', i);
    if (close !== -1 && (open === -1 || close < open)) {
      // A `}}` with no `{{` before it.
      problems.push({ code: 'unopened_placeholder', offset: close, source: '}}' });
      pushText(source.slice(i, close + 2), i);
      i = close + 2;
      continue;
    }
    if (open === -1) {
      pushText(source.slice(i), i);
      break;
    }
    pushText(source.slice(i, open), i);
    const end = source.indexOf('}}', open + 2);
    const nextOpen = source.indexOf('{{', open + 2);
    const triple = source[open + 2] === '{';
    if (end === -1 || (nextOpen !== -1 && nextOpen < end)) {
      // `{{` never closed, or another placeholder starts before it closes.
      const stop = end === -1 ? source.length : nextOpen;
      problems.push({ code: 'unclosed_placeholder', offset: open, source: source.slice(open, Math.min(stop, open + 40)) });
      pushText(source.slice(open, stop), open);
      i = stop;
      continue;
    }
    if (triple) {
      const stop = source[end + 2] === '}' ? end + 3 : end + 2;
      problems.push({ code: 'triple_braces', offset: open, source: source.slice(open, stop) });
      i = stop;
      continue;
    }
    const tagEnd = end + 2;
    const raw = source.slice(open, tagEnd);
    const inner = source.slice(open + 2, end).trim();
    i = tagEnd;
    if (inner === '') {
      problems.push({ code: 'empty_placeholder', offset: open, source: raw });
      continue;
    }
    const sigil = inner[0] === '#' || inner[0] === '/' ? inner[0] : '';
    const name = inner.slice(sigil.length).trim();
    if (!NAME_LIKE.test(name)) {
      problems.push({ code: 'invalid_placeholder', offset: open, source: raw, variable: name });
      continue;
    }
    if (!isVariableName(name)) {
      const suggestion = closestVariable(name);
      problems.push({ code: 'unknown_variable', offset: open, source: raw, variable: name, ...(suggestion ? { suggestion } : {}) });
      continue;
    }
    if (sigil === '#') {
      stack.push({ name, start: open, end: tagEnd, source: raw, children: [] });
    } else if (sigil === '/') {
      const at = stack.map((s) => s.name).lastIndexOf(name);
      if (at === -1) {
        problems.push({ code: 'unopened_section', offset: open, source: raw, variable: name });
        continue;
      }
      if (at !== stack.length - 1) {
        problems.push({ code: 'mismatched_section', offset: open, source: raw, variable: name, expected: stack[stack.length - 1]!.name });
      }
      // Close the named section (and, after a mismatch, everything opened inside it).
      while (stack.length > at) {
        const s = stack.pop()!;
        current().push({ type: 'section', name: s.name, start: s.start, end: tagEnd, children: s.children });
      }
    } else {
      current().push({ type: 'variable', name, start: open, end: tagEnd });
    }
  }
  while (stack.length > 0) {
    const s = stack.pop()!;
    problems.push({ code: 'unclosed_section', offset: s.start, source: s.source, variable: s.name });
    current().push({ type: 'section', name: s.name, start: s.start, end: source.length, children: s.children });
  }
  problems.sort((a, b) => a.offset - b.offset);
  return { nodes: root, problems };
}

/** 1-based line and column (in UTF-16 units) of an offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < source.length; k++) {
    if (source[k] === '\n') {
      line += 1;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Every variable node and section in document order (depth first). */
export function* walk(nodes: readonly Node[]): Generator<Node> {
  for (const n of nodes) {
    yield n;
    if (n.type === 'section') yield* walk(n.children);
  }
}

/** Variables used outside any section (always rendered). */
export function unconditionalVariables(nodes: readonly Node[]): Set<VariableName> {
  const out = new Set<VariableName>();
  for (const n of nodes) if (n.type === 'variable') out.add(n.name);
  return out;
}

function closestVariable(name: string): VariableName | undefined {
  const lower = name.toLowerCase();
  let best: VariableName | undefined;
  let bestDistance = Infinity;
  for (const candidate of VARIABLE_NAMES) {
    const dist = lower === candidate ? 0 : editDistance(lower, candidate);
    const tail = candidate.split('.').pop()!;
    // "name" alone, "first_name" alone…: suggest the full name when a catalogue entry ends with it.
    const tailMatch = lower === tail ? 1 : Infinity;
    const score = Math.min(dist, tailMatch);
    if (score < bestDistance) {
      bestDistance = score;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(lower.length / 4)) ? best : undefined;
}
