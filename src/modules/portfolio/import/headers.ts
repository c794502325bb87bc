/**
 * Matches a file's header row to our columns: case, accents and punctuation do not matter, Spanish aliases are
 * accepted, and a mapping `{ "our column": "their header" }` names headers we would not guess. Explicit mappings win
 * over guesses. For debtors every other header becomes a custom attribute; for obligations and payments other headers
 * are ignored in files (and listed in the result) but refused from the API, where they are typos.
 */
import { attributeKey, COLUMNS, normalizeHeader, type ColumnSpec, type Entity, type FieldError } from '../records.ts';
import { editDistance, t } from '../../../domain/text.ts';

/** What one column of the file feeds. */
export type ColumnTarget = { kind: 'column'; name: string } | { kind: 'attribute'; key: string } | { kind: 'ignored' };

/** The resolved header: how to read every later row. */
export interface HeaderPlan {
  entity: Entity;
  /** Number of columns in the header row. */
  width: number;
  targets: ColumnTarget[];
  /** Canonical columns the file carries. */
  present: ReadonlySet<string>;
  /** Attribute keys the file carries (debtors), in file order. */
  attributeKeys: string[];
  /** The file's own header text for each canonical column or attribute key, so errors use the user's words. */
  headerOf: ReadonlyMap<string, string>;
  /** Headers read by nothing. */
  ignored: string[];
}

export type HeaderResult = { ok: true; plan: HeaderPlan } | { ok: false; errors: FieldError[] };

function findSpec(entity: Entity, normalized: string): ColumnSpec | undefined {
  return COLUMNS[entity].find((c) => c.name === normalized || c.aliases.includes(normalized));
}

const columnList = (entity: Entity): string => COLUMNS[entity].map((c) => c.name).join(', ');

/** One letter off, or two neighbours swapped ("emial"): a typo, not another name. */
function oneSlipFrom(a: string, b: string): boolean {
  if (editDistance(a, b) === 1) return true;
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/**
 * The column a mapping key of five letters or more most likely meant when it is one slip from a column's name or
 * alias: such a key is a typo, where the debtors' import would otherwise keep it as a custom attribute.
 */
function mistypedColumn(entity: Entity, key: string): string | undefined {
  if (key.length < 5) return undefined;
  return COLUMNS[entity].find((c) => [c.name, ...c.aliases].some((name) => oneSlipFrom(key, name)))?.name;
}

/** How a message names each entity's records in Spanish. */
const ENTITY_ES: Readonly<Record<Entity, string>> = { debtors: 'deudores', obligations: 'documentos', payments: 'pagos' };

/** Resolves `headers` (the first row of the file) for `entity`. */
export function resolveHeader(entity: Entity, headers: readonly string[], options: { mapping?: Readonly<Record<string, string>>; unknownColumns: 'ignore' | 'error' }): HeaderResult {
  const errors: FieldError[] = [];
  const normalized = headers.map(normalizeHeader);
  const targets: Array<ColumnTarget | undefined> = headers.map(() => undefined);
  // target key ("column:due_on" / "attribute:score") → index of the header feeding it, and whether a mapping chose it
  const taken = new Map<string, { index: number; mapped: boolean }>();
  const keyOf = (t: ColumnTarget) => (t.kind === 'column' ? `column:${t.name}` : t.kind === 'attribute' ? `attribute:${t.key}` : '');

  for (const [ours, theirs] of Object.entries(options.mapping ?? {})) {
    let target: ColumnTarget | null = null;
    const spec = findSpec(entity, normalizeHeader(ours));
    const meant = spec ? undefined : mistypedColumn(entity, normalizeHeader(ours));
    if (spec) target = { kind: 'column', name: spec.name };
    else if (meant !== undefined) {
      errors.push({ column: ours, reason: t(`mapping: not a column of ${entity}; did you mean "${meant}"?`, `mapeo: no es una columna de ${ENTITY_ES[entity]}; ¿quiso decir "${meant}"?`) });
    } else if (entity === 'debtors') {
      const key = attributeKey(ours);
      if (key) target = { kind: 'attribute', key };
      else {
        errors.push({
          column: ours,
          reason: t(
            'mapping: not a debtor column, and not usable as an attribute name (use letters, digits and _)',
            'mapeo: no es una columna de deudores ni sirve como nombre de atributo (use letras, dígitos y _)',
          ),
        });
      }
    } else {
      errors.push({ column: ours, reason: t(`mapping: not a column of ${entity} (columns: ${columnList(entity)})`, `mapeo: no es una columna de ${ENTITY_ES[entity]} (columnas: ${columnList(entity)})`) });
    }
    if (!target) continue;
    const wanted = normalizeHeader(theirs);
    const matches = normalized.flatMap((n, i) => (n === wanted && wanted !== '' ? [i] : []));
    if (matches.length === 0) {
      errors.push({ column: ours, reason: t(`mapping: the file has no header "${theirs}" (headers: ${headers.join(', ')})`, `mapeo: el archivo no tiene el encabezado "${theirs}" (encabezados: ${headers.join(', ')})`) });
      continue;
    }
    if (matches.length > 1) {
      errors.push({ column: ours, reason: t(`mapping: the header "${theirs}" appears ${matches.length} times in the file`, `mapeo: el encabezado "${theirs}" aparece ${matches.length} veces en el archivo`) });
      continue;
    }
    const index = matches[0]!;
    const key = keyOf(target);
    if (targets[index] !== undefined) {
      errors.push({ column: headers[index]!, reason: t('mapping: this header is mapped to two columns', 'mapeo: este encabezado está asignado a dos columnas') });
      continue;
    }
    if (taken.has(key)) {
      errors.push({ column: ours, reason: t('mapping: this column is mapped twice', 'mapeo: esta columna está asignada dos veces') });
      continue;
    }
    targets[index] = target;
    taken.set(key, { index, mapped: true });
  }

  const ignored: string[] = [];
  headers.forEach((header, index) => {
    if (targets[index] !== undefined) return;
    const n = normalized[index]!;
    if (n === '') {
      targets[index] = { kind: 'ignored' };
      if (header.trim() !== '') ignored.push(header);
      return;
    }
    let target: ColumnTarget;
    const spec = findSpec(entity, n);
    if (spec) target = { kind: 'column', name: spec.name };
    else if (entity === 'debtors') {
      const key = attributeKey(header);
      if (!key) {
        errors.push({
          column: header,
          reason: t(
            'extra columns become custom attributes, whose names must be letters, digits and _ (not starting with a digit); rename it or map it',
            'las columnas adicionales se vuelven atributos personalizados, cuyos nombres deben ser letras, dígitos y _ (sin empezar con un dígito); renómbrela o mapéela',
          ),
        });
        targets[index] = { kind: 'ignored' };
        return;
      }
      target = { kind: 'attribute', key };
    } else if (options.unknownColumns === 'error') {
      errors.push({ column: header, reason: t(`not a column of ${entity} (columns: ${columnList(entity)})`, `no es una columna de ${ENTITY_ES[entity]} (columnas: ${columnList(entity)})`) });
      targets[index] = { kind: 'ignored' };
      return;
    } else {
      targets[index] = { kind: 'ignored' };
      ignored.push(header);
      return;
    }
    const key = keyOf(target);
    const previous = taken.get(key);
    if (previous?.mapped) {
      // The mapping chose another header for this column; this one is only a look-alike.
      targets[index] = { kind: 'ignored' };
      ignored.push(header);
      return;
    }
    if (previous) {
      const what = target.kind === 'column' ? t(`column "${target.name}"`, `la columna "${target.name}"`) : t(`attribute "${target.key}"`, `el atributo "${target.key}"`);
      errors.push({
        column: header,
        reason: t(`duplicate column: "${headers[previous.index]}" and "${header}" both give the ${what.en}`, `columna duplicada: "${headers[previous.index]}" y "${header}" dan ambas ${what.es}`),
      });
      targets[index] = { kind: 'ignored' };
      return;
    }
    targets[index] = target;
    taken.set(key, { index, mapped: false });
  });

  for (const spec of COLUMNS[entity]) {
    if (spec.required && !taken.has(`column:${spec.name}`)) {
      const accepted = [spec.name, ...spec.aliases].join(', ');
      errors.push({ column: spec.name, reason: t(`required column is missing (accepted headers: ${accepted})`, `falta una columna obligatoria (encabezados aceptados: ${accepted})`) });
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const present = new Set<string>();
  const attributeKeys: string[] = [];
  const headerOf = new Map<string, string>();
  const resolved = targets.map((t) => t ?? ({ kind: 'ignored' } as const));
  resolved.forEach((t, index) => {
    if (t.kind === 'column') {
      present.add(t.name);
      headerOf.set(t.name, headers[index]!.trim());
    } else if (t.kind === 'attribute') {
      attributeKeys.push(t.key);
      headerOf.set(t.key, headers[index]!.trim());
    }
  });
  return { ok: true, plan: { entity, width: headers.length, targets: resolved, present, attributeKeys, headerOf, ignored } };
}
