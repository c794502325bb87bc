/**
 * The company's adjustments of the contact rules, from the command line (the same use cases as the settings page):
 *
 *   cobranza compliance rules [--country MX] [--year 2026] [--json]   the rules and holidays in force
 *   cobranza compliance adjust MX FILE                                 replace MX's adjustments from a YAML/JSON file:
 *                                                                      {rule_set?, overrides?: {hours, holidays, week, caps, consentRequired, …}}
 *   cobranza compliance reset MX                                       back to the built-in rules (holidays included)
 *   cobranza compliance holiday-add MX 2026-05-02 "Día de la empresa"
 *   cobranza compliance holiday-remove MX 2026-09-16
 *
 * A file or a date that does not validate is refused with every problem and its field; nothing is saved then.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse } from 'yaml';
import type { TimeWindow } from '../../domain/compliance/index.ts';
import { AppError } from '../../modules/shared/errors.ts';
import {
  addComplianceHoliday,
  getComplianceSettings,
  removeComplianceHoliday,
  resetCountryRules,
  setCountryRules,
  type CountryComplianceView,
} from '../../modules/settings/index.ts';
import { words, type CliIO } from '../io.ts';
import type { Session } from '../session.ts';
import { jsonText } from '../json.ts';
import { parseIntOption, userPath } from './shared.ts';
import { t, type Language } from '../../domain/text.ts';

const WEEKDAYS: Record<Language, readonly string[]> = { es: ['lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom'], en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] };

function hoursOn(windows: readonly TimeWindow[], day: number): string {
  const found = windows.filter((w) => w.days.includes(day as TimeWindow['days'][number]));
  return found.length ? found.map((w) => `${w.from}–${w.to}`).join(', ') : '—';
}

/** A country's rules as text in `language`: hours per weekday (calls and visits / written channels), caps, holidays. */
function describe(view: CountryComplianceView, language: Language): string {
  const l = words({ language });
  const r = view.rules;
  const lines = [`${view.country} · ${r.label[language]} (${r.id})${view.adjustments ? l(' — with company adjustments', ' — con ajustes de la empresa') : ''}`];
  for (let d = 1; d <= 7; d++) lines.push(`  ${WEEKDAYS[language][d - 1]}  ${l('calls/visits', 'llamadas/visitas')} ${hoursOn(r.hours.voice, d)}  ·  ${l('written', 'escritos')} ${hoursOn(r.hours.written, d)}`);
  const onHolidays = r.holidays === 'refused' ? l('no contact', 'sin contacto') : l('contact allowed', 'se permite contactar');
  const week = r.week === 'calendar' ? l('Monday to Sunday', 'lunes a domingo') : l('7 consecutive days', '7 días corridos');
  lines.push(`  ${l('on holidays', 'festivos')}: ${onHolidays}; ${l('week', 'semana')}: ${week}`);
  for (const cap of r.caps) lines.push(`  ${l('cap', 'límite')} ${cap.id}: ${cap.kind}${'max' in cap ? ` max ${cap.max}` : ''}${'days' in cap ? ` ${l('days', 'días')} ${cap.days}` : ''} (${cap.channels.join(', ')})`);
  if (r.consentRequired.length) lines.push(`  ${l('consent', 'consentimiento')}: ${r.consentRequired.join(', ')}`);
  lines.push(`  ${l('holidays', 'días festivos')}: ${view.holidays.map((h) => `${h.date} ${h.name}`).join('; ') || '—'}`);
  return lines.join('\n') + '\n';
}

async function readRulesFile(io: CliIO, file: string): Promise<unknown> {
  const path = userPath(io, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('validation_failed', t(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, `no se puede leer ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no existe el archivo' : (error as Error).message}`));
  }
  try {
    return parse(text) ?? {};
  } catch (error) {
    throw new AppError('validation_failed', t(`${path} is not valid YAML or JSON: ${(error as Error).message}`, `${path} no es YAML ni JSON válido: ${(error as Error).message}`));
  }
}

export function registerComplianceSettingsCommands(program: Command, io: CliIO, session: Session): void {
  const l = words(io);
  const compliance = program.commands.find((c) => c.name() === 'compliance') ?? program.command('compliance').description(l('Contact compliance', 'Cumplimiento de contacto'));
  // The rules are a document in the format `adjust` reads and the API shows (hours, consentRequired…): kept as they are.
  const RULES_DOCUMENTS = { verbatim: ['rules', 'built_in', 'adjustments'] };
  const print = (view: CountryComplianceView, json: boolean | undefined) => io.stdout.write(json ? jsonText(view, RULES_DOCUMENTS) : describe(view, io.language));

  compliance
    .command('rules')
    .description(l("The contact rules and holidays in force for the company's country and every country it adjusted", 'Las reglas de contacto y los días festivos vigentes para el país de la empresa y cada país que ajustó'))
    .option('--country <code>', l('only this country', 'solo este país'))
    .option('--year <year>', l('year of the holidays (default: this year)', 'año de los días festivos (predeterminado: este año)'), parseIntOption('--year'))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (opts: { country?: string; year?: number; json?: boolean }) => {
      const all = await getComplianceSettings(await session.ctx(), { year: opts.year });
      const countries = opts.country ? all.countries.filter((c) => c.country === opts.country!.trim().toUpperCase()) : all.countries;
      if (opts.country && countries.length === 0) throw new AppError('not_found', t(`the company has no rules adjusted for ${opts.country}; adjust them with "cobranza compliance adjust ${opts.country.toUpperCase()} FILE"`, `la empresa no tiene reglas ajustadas para ${opts.country}; ajústelas con "cobranza compliance adjust ${opts.country.toUpperCase()} FILE"`));
      if (opts.json) io.stdout.write(jsonText({ ...all, countries }, RULES_DOCUMENTS));
      else for (const c of countries) io.stdout.write(describe(c, io.language));
    });

  compliance
    .command('adjust')
    .description(l("Replace the company adjustments of one country's rules from a YAML or JSON file {rule_set?, overrides?}", 'Reemplazar los ajustes de la empresa a las reglas de un país desde un archivo YAML o JSON {rule_set?, overrides?}'))
    .argument('<country>', l('two-letter ISO code, e.g. MX', 'código ISO de dos letras, p. ej. MX'))
    .argument('<file>', l('YAML or JSON file', 'archivo YAML o JSON'))
    .option('--json', l('print JSON', 'imprimir JSON'))
    .action(async (country: string, file: string, opts: { json?: boolean }) => {
      print(await setCountryRules(await session.ctx(), { country, body: await readRulesFile(io, file) }), opts.json);
    });

  compliance
    .command('reset')
    .description(l('Drop every adjustment of one country (rules and holidays): the built-in rules apply again', 'Quitar todos los ajustes de un país (reglas y días festivos): vuelven a aplicarse las reglas incluidas'))
    .argument('<country>', l('two-letter ISO code, e.g. MX', 'código ISO de dos letras, p. ej. MX'))
    .action(async (country: string) => {
      print(await resetCountryRules(await session.ctx(), { country }), false);
    });

  compliance
    .command('holiday-add')
    .description(l("Add a holiday to a country's calendar for the company", 'Agregar un día festivo al calendario de un país para la empresa'))
    .argument('<country>', l('two-letter ISO code, e.g. MX', 'código ISO de dos letras, p. ej. MX'))
    .argument('<date>', l('YYYY-MM-DD', 'AAAA-MM-DD'))
    .argument('<name>', l("the holiday's name", 'el nombre del día festivo'))
    .action(async (country: string, date: string, name: string) => {
      const view = await addComplianceHoliday(await session.ctx(), { country, body: { date, name }, year: Number(date.slice(0, 4)) });
      io.stdout.write(l(`${view.country}: ${date} is a holiday now\n`, `${view.country}: el ${date} ahora es día festivo\n`));
    });

  compliance
    .command('holiday-remove')
    .description(l("Take a holiday off a country's calendar for the company (an added one, or a built-in one)", 'Quitar un día festivo del calendario de un país para la empresa (uno agregado o uno incluido)'))
    .argument('<country>', l('two-letter ISO code, e.g. MX', 'código ISO de dos letras, p. ej. MX'))
    .argument('<date>', l('YYYY-MM-DD', 'AAAA-MM-DD'))
    .action(async (country: string, date: string) => {
      const view = await removeComplianceHoliday(await session.ctx(), { country, date, year: Number(date.slice(0, 4)) });
      io.stdout.write(l(`${view.country}: ${date} is not a holiday any more\n`, `${view.country}: el ${date} ya no es día festivo\n`));
    });
}
