/**
 * Commander's own refusals (unknown option or command, missing argument, …) and the words of its help (headings, the
 * help option and command, defaults and choices) in the CLI's language. Commander writes them in English; in Spanish
 * each known sentence is rewritten, keeping the options, arguments and commands it names. The descriptions of our
 * commands and options are written in both languages where they are declared (`words`, io.ts).
 */
import { Help, type Argument, type Command, type HelpConfiguration, type Option, type OutputConfiguration } from 'commander';
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

/** Commander's headings of a help text, in Spanish. */
const HEADINGS: Readonly<Record<string, string>> = {
  'Usage:': 'Uso:',
  'Arguments:': 'Argumentos:',
  'Options:': 'Opciones:',
  'Global Options:': 'Opciones globales:',
  'Commands:': 'Comandos:',
};

/** The description commander gives its own help option and help command, in Spanish. */
const BUILT_IN: Readonly<Record<string, string>> = { 'display help for command': 'muestra la ayuda del comando' };

/** Commander's notes after a description, "(choices: …, default: …)", in Spanish; the values stay as they are. */
function spanishNotes(text: string, description: string): string {
  const notes = text.slice(description.length);
  const spanish = notes.replace(/([(,] ?)(choices|default|preset|env): /g, (_m, before: string, word: string) => `${before}${{ choices: 'valores', default: 'predeterminado', preset: 'sin valor', env: 'variable' }[word]}: `);
  return `${BUILT_IN[description] ?? description}${spanish}`;
}

/** A usage line's placeholders for options and subcommands, in Spanish; arguments keep their names. */
function spanishUsage(usage: string): string {
  return usage.replace(/\[options\]/g, '[opciones]').replace(/\[command\]/g, '[comando]');
}

/** How commander writes help in Spanish (commander's own words; ours are already in the CLI's language). */
const SPANISH_HELP: HelpConfiguration = {
  styleTitle: (title) => HEADINGS[title] ?? title,
  commandUsage(this: Help, command: Command) {
    return spanishUsage(Help.prototype.commandUsage.call(this, command));
  },
  subcommandTerm(this: Help, command: Command) {
    return spanishUsage(Help.prototype.subcommandTerm.call(this, command));
  },
  optionDescription(this: Help, option: Option) {
    return spanishNotes(Help.prototype.optionDescription.call(this, option), option.description);
  },
  argumentDescription(this: Help, argument: Argument) {
    return spanishNotes(Help.prototype.argumentDescription.call(this, argument), argument.description);
  },
  subcommandDescription(this: Help, command: Command) {
    const text = Help.prototype.subcommandDescription.call(this, command);
    if (command.name() === 'help' && text === 'display help for command') return 'muestra la ayuda de un comando';
    return BUILT_IN[text] ?? text;
  },
};

/** Makes `command` and its subcommands, at any depth, throw instead of exiting and speak the CLI's language. */
export function configureUsage(command: Command, io: CliIO): void {
  command.exitOverride();
  command.configureOutput(outputOf(io));
  command.showHelpAfterError(helpHint(io.language));
  if (io.language === 'es') command.configureHelp(SPANISH_HELP);
  for (const sub of command.commands) configureUsage(sub, io);
}
