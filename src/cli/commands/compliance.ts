/**
 * `cobranza compliance check`: asks the contact compliance gate whether a contact is allowed, without a database.
 *
 *   cobranza compliance check --country CO --time-zone America/Bogota --channel sms \
 *     --at 2026-03-08T10:00:00-05:00 [--history FILE]
 *
 * Prints one JSON object: {"allowed", "next_allowed_at" (ISO 8601 with the debtor's offset, or null), "rule",
 * "reason_code", "reason"}. `rule` and `reason_code` (the kind of decision: allowed, hours, holiday, cap, hold, … —
 * src/domain/compliance/reason.ts) are codes a script can match; `reason` is the sentence for a person, in the CLI's
 * language (English unless COBRANZA_LANG=es or a Spanish locale). A refusal is an answer, not an error: the exit status
 * is 0 either way. Bad arguments throw an AppError (validation_failed) whose message says what to fix.
 *
 * The command judges the schedule and frequency rules; it assumes the debtor authorised the channel (consent
 * "granted") and has no holds or opt-outs unless told with --consent, --opt-out and --hold. Holidays come from the
 * country's built-in calendar for the year before the contact through two years after.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import {
  CHANNELS,
  CONTACT_OUTCOMES,
  decideContact,
  formatInstantInZone,
  HOLD_REASONS,
  holidaySet,
  reasonText,
  resolveRules,
  RULE_SET_IDS,
  type Channel,
  type ConsentState,
  type ContactRecord,
  type HoldReason,
  type RuleSetId,
} from '../../domain/compliance/index.ts';
import { AppError } from '../../modules/shared/errors.ts';
import { jsonText } from '../json.ts';
import { say, t, type Language } from '../../domain/text.ts';
import { words } from '../io.ts';
import { issueText } from '../../domain/zod-issues.ts';

export interface ComplianceIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
  /** The language of the help texts and of the decision's reason (English when not given). */
  language?: Language;
}

interface CheckOptions {
  country: RuleSetId;
  timeZone: string;
  channel: Channel;
  at: Date;
  history?: string;
  consent: ConsentState;
  optOut?: boolean;
  hold: HoldReason[];
}

function choice<T extends string>(option: string, allowed: readonly T[]) {
  return (value: string): T => {
    const v = value.trim();
    if (!(allowed as readonly string[]).includes(v)) throw new AppError('validation_failed', t(`${option} must be one of ${allowed.join(', ')}; got "${value}"`, `${option} debe ser uno de ${allowed.join(', ')}; se recibió "${value}"`));
    return v as T;
  };
}

/** An instant with an explicit offset (or Z); a bare local time is ambiguous and refused. */
function parseInstant(option: string, value: string): Date {
  try {
    return new Date(Temporal.Instant.from(value.trim()).epochMilliseconds);
  } catch {
    throw new AppError('validation_failed', t(`${option} must be an ISO 8601 instant with an offset, e.g. 2026-03-08T10:00:00-05:00 or 2026-03-08T15:00:00Z; got "${value}"`, `${option} debe ser un instante ISO 8601 con desfase, p. ej. 2026-03-08T10:00:00-05:00 o 2026-03-08T15:00:00Z; se recibió "${value}"`));
  }
}

function parseTimeZone(value: string): string {
  const zone = value.trim();
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone);
  } catch {
    throw new AppError('validation_failed', t(`--time-zone must be an IANA time zone such as America/Bogota or America/Santiago; got "${value}"`, `--time-zone debe ser una zona horaria IANA como America/Bogota o America/Santiago; se recibió "${value}"`));
  }
  return zone;
}

const historySchema = z.array(
  z.object({
    channel: z.enum(CHANNELS, { error: `channel must be one of ${CHANNELS.join(', ')}` }),
    at: z.string({ error: 'at must be a string' }),
    outcome: z.enum(CONTACT_OUTCOMES, { error: `outcome must be one of ${CONTACT_OUTCOMES.join(', ')}` }),
    direction: z.enum(['outbound', 'inbound'], { error: 'direction must be outbound (default) or inbound (the debtor wrote or called)' }).optional(),
  }),
  { error: 'the history must be a JSON array of {"channel", "at", "outcome"} objects' },
);

async function readHistory(io: ComplianceIO, file: string): Promise<ContactRecord[]> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('validation_failed', t(`cannot read the history file ${path}${code === 'ENOENT' ? ': no such file' : `: ${(error as Error).message}`}`, `no se puede leer el archivo de historial ${path}${code === 'ENOENT' ? ': no existe el archivo' : `: ${(error as Error).message}`}`));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('validation_failed', t(`the history file ${path} is not valid JSON: ${(error as Error).message}`, `el archivo de historial ${path} no es JSON válido: ${(error as Error).message}`));
  }
  const parsed = historySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [index, ...field] = issue?.path ?? [];
    const where = index === undefined ? '' : ` at item ${String(index)}${field.length ? ` (${field.join('.')})` : ''}`;
    const whereEs = index === undefined ? '' : ` en el elemento ${String(index)}${field.length ? ` (${field.join('.')})` : ''}`;
    throw new AppError('validation_failed', t(`the history file ${path} is invalid${where}: ${issue?.message ?? 'unexpected content'}`, `el archivo de historial ${path} no es válido${whereEs}: ${issue ? say(issueText(issue), 'es') : 'contenido inesperado'}`));
  }
  return parsed.data.map((h, i) => ({ channel: h.channel, outcome: h.outcome, at: parseInstant(`history item ${i} "at"`, h.at), ...(h.direction ? { direction: h.direction } : {}) }));
}

export function registerComplianceCommands(program: Command, io: ComplianceIO): void {
  const l = words({ language: io.language ?? 'en' });
  const compliance = program.command('compliance').description(l('Contact compliance: may this debtor be contacted now? (DOMAIN.md §3)', 'Cumplimiento de contacto: ¿se puede contactar ahora a este deudor? (DOMAIN.md §3)'));
  compliance
    .command('check')
    .description(l("Judge one contact against the country's hours, holidays and frequency caps; prints JSON", 'Juzgar un contacto según los horarios, días festivos y límites de frecuencia del país; imprime JSON'))
    .requiredOption('--country <set>', l(`rule set: ${RULE_SET_IDS.join(', ')}`, `reglamento: ${RULE_SET_IDS.join(', ')}`), choice('--country', RULE_SET_IDS))
    .requiredOption('--time-zone <zone>', l("the debtor's IANA time zone, e.g. America/Bogota", 'la zona horaria IANA del deudor, p. ej. America/Bogota'), parseTimeZone)
    .requiredOption('--channel <channel>', CHANNELS.join(' | '), choice('--channel', CHANNELS))
    .requiredOption('--at <instant>', l('ISO 8601 instant with offset, e.g. 2026-03-08T10:00:00-05:00', 'instante ISO 8601 con desfase, p. ej. 2026-03-08T10:00:00-05:00'), (v: string) => parseInstant('--at', v))
    .option(
      '--history <file>',
      l(
        'JSON array of earlier contacts: [{"channel": "sms", "at": "2026-03-02T10:00:00-05:00", "outcome": "attempt" | "conversation" | "effective", "direction": "outbound" | "inbound"}]',
        'arreglo JSON de los contactos anteriores: [{"channel": "sms", "at": "2026-03-02T10:00:00-05:00", "outcome": "attempt" | "conversation" | "effective", "direction": "outbound" | "inbound"}]',
      ),
    )
    .option('--consent <state>', l("the debtor's consent for this channel: granted | denied | unknown", 'la autorización del deudor para este canal: granted | denied | unknown'), choice('--consent', ['granted', 'denied', 'unknown'] as const), 'granted')
    .option('--opt-out', l('the debtor opted out of this channel (BAJA / STOP)', 'el deudor se dio de baja de este canal (BAJA / STOP)'))
    .option('--hold <reason>', l(`an active hold (repeatable): ${HOLD_REASONS.join(', ')}`, `una suspensión activa (se puede repetir): ${HOLD_REASONS.join(', ')}`), (v: string, acc: HoldReason[]) => [...acc, choice('--hold', HOLD_REASONS)(v)], [] as HoldReason[])
    .action(async (opts: CheckOptions) => {
      const rules = resolveRules(opts.country);
      const history = opts.history ? await readHistory(io, opts.history) : [];
      const year = Number(formatInstantInZone(opts.at, opts.timeZone).slice(0, 4));
      const decision = decideContact({
        rules,
        timeZone: opts.timeZone,
        channel: opts.channel,
        at: opts.at,
        history,
        consent: { [opts.channel]: opts.consent },
        optOuts: opts.optOut ? [opts.channel] : [],
        holds: opts.hold,
        holidays: holidaySet(rules.holidayCalendar, [year - 1, year, year + 1, year + 2]),
      });
      const out = {
        allowed: decision.allowed,
        next_allowed_at: decision.nextAllowedAt ? formatInstantInZone(decision.nextAllowedAt, opts.timeZone) : null,
        rule: decision.rule,
        reason_code: decision.reasonCode.code,
        reason: reasonText(decision.reasonCode, io.language ?? 'en'),
      };
      io.stdout.write(jsonText(out));
    });
}
