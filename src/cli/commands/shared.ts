import { accessSync, constants, createWriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AppError } from '../../modules/shared/errors.ts';
import type { CliIO } from '../io.ts';
import type { Column } from '../../modules/shared/tabular.ts';
import { t, type Text } from '../../domain/text.ts';

/** Resolves a user-given path against the caller's working directory (which differs from ours when forwarded). */
export function userPath(io: CliIO, path: string): string {
  return resolve(io.cwd, path);
}

/** Why a file could not be written, in words: its folder missing or read-only, or the system's own message. */
export function writeProblem(error: unknown): Text {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return t('its folder does not exist', 'su carpeta no existe');
  if (code === 'EACCES' || code === 'EROFS') return t('its folder cannot be written', 'no se puede escribir en su carpeta');
  const message = (error as Error).message;
  return t(message, message);
}

/** Why a file at `path` could not be written in its folder, or null when it can. */
export function unwritableFolder(path: string): Text | null {
  try {
    accessSync(dirname(path), constants.W_OK);
    return null;
  } catch (error) {
    return writeProblem(error);
  }
}

/** Opens the destination of an export: a file, or the command's standard output for text formats. */
export function openOutput(io: CliIO, out: string | undefined, binary: boolean): { stream: Writable; close(): Promise<void> } {
  if (out) {
    const path = userPath(io, out);
    // Said plainly now, rather than as the write stream's ENOENT once the report is made.
    const problem = unwritableFolder(path);
    if (problem) throw new AppError('validation_failed', t(`cannot write ${out}: ${problem.en}`, `no se puede escribir ${out}: ${problem.es}`), [{ path: 'out', reason: problem }]);
    const stream = createWriteStream(path);
    return {
      stream,
      async close() {
        stream.end();
        await finished(stream);
      },
    };
  }
  if (binary) throw new AppError('validation_failed', t('xlsx output is binary: name a file with --out FILE', 'la salida xlsx es binaria: indique un archivo con --out FILE'));
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      io.stdout.write(chunk.toString('utf8'));
      cb();
    },
  });
  return { stream, close: async () => {} };
}

/** A table's columns: each key is its English header; `headers` gives the Spanish one, used when the CLI speaks Spanish. */
export function headedColumns(io: Pick<CliIO, 'language'>, headers: Readonly<Record<string, string>>): Column[] {
  return Object.entries(headers).map(([key, es]) => ({ key, header: io.language === 'es' ? es : key }));
}

export function parseIntOption(name: string) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new AppError('validation_failed', t(`${name} must be a whole number, got "${value}"`, `${name} debe ser un número entero; se recibió "${value}"`));
    return Number(value);
  };
}

export function oneOf<T extends string>(name: string, allowed: readonly T[]) {
  return (value: string): T => {
    // Values with punctuation (the CSV delimiters, date formats) are quoted, or the list reads ",, ;".
    const quoted = allowed.some((a) => !/^[\w-]+$/.test(a));
    const list = allowed.map((a) => (quoted ? `"${a}"` : a)).join(', ');
    if (!(allowed as readonly string[]).includes(value)) throw new AppError('validation_failed', t(`${name} must be one of ${list}; got "${value}"`, `${name} debe ser uno de ${list}; se recibió "${value}"`));
    return value as T;
  };
}
