/**
 * Commander's own refusals (unknown option or command, missing argument, …) in the CLI's language. Commander writes
 * them in English; in Spanish each known sentence is rewritten, keeping the options, arguments and commands it names.
 */
import type { Command, OutputConfiguration } from 'commander';
import type { Language } from '../domain/text.ts';
import type { CliIO } from './io.ts';

/** Commander's sentences (commander/lib/command.js, suggestSimilar.js) and their Spanish. */
const SPANISH: ReadonlyArray<[RegExp, string | ((...groups: string[]) => string)]> = [
  [/^error: unknown option '(.+?)'/, "error: opción desconocida '$1'"],
  [/^error: unknown command '(.+?)'/, "error: comando desconocido '$1'"],
  [/^error: missing required argument '(.+?)'/, "error: falta el argumento obligatorio '$1'"],
  [/^error: option '(.+?)' argument missing/, "error: falta el valor de la opción '$1'"],
  [/^error: required option '(.+?)' not specified/, "error: falta la opción obligatoria '$1'"],
  [/^error: option '(.+?)' argument '(.*?)' is invalid\./, "error: el valor '$2' de la opción '$1' no es válido."],
  [
    /^error: too many arguments(?: for '(.+?)')?\. Expected (\d+) arguments? but got (\d+): (.*)\.$/m,
    (_match, command, expected, received, details) =>
      `error: demasiados argumentos${command ? ` para '${command}'` : ''}: se esperaba${expected === '1' ? '' : 'n'} ${expected} argumento${expected === '1' ? '' : 's'} y se recibieron ${received}: ${details}.`,
  ],
  [/\(Did you mean one of (.+)\?\)/, '(¿Quiso decir alguna de estas: $1?)'],
  [/\(Did you mean (.+)\?\)/, '(¿Quiso decir $1?)'],
];

/** A commander error message in `language`. */
export function usageError(message: string, language: Language): string {
  if (language !== 'es') return message;
  return SPANISH.reduce((text, [pattern, spanish]) => text.replace(pattern, spanish as string), message);
}

/** Where commander writes, and its errors in the CLI's language. */
function outputOf(io: CliIO): OutputConfiguration {
  return {
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    outputError: (s, write) => write(usageError(s, io.language)),
  };
}

/** The hint printed after a usage error. */
export function helpHint(language: Language | undefined): string {
  return language === 'es' ? '(agregue --help para ver el uso)' : '(add --help for usage)';
}

/** Makes `command` and its subcommands, at any depth, throw instead of exiting and speak the CLI's language. */
export function configureUsage(command: Command, io: CliIO): void {
  command.exitOverride();
  command.configureOutput(outputOf(io));
  command.showHelpAfterError(helpHint(io.language));
  for (const sub of command.commands) configureUsage(sub, io);
}
