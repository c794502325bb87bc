/**
 * Days past due, aging buckets and collection phases. Pure functions of calendar dates and thresholds;
 * the daily run compiles the same tables into SQL so both agree by construction.
 */
import { daysBetween, type PlainDate } from './calendar.ts';
import { t, type Language, type Text } from './text.ts';

/** Aging buckets, lower bounds inclusive. `current` holds everything not yet past due (DPD ≤ 0). */
export const BUCKETS = [
  { name: 'current', from: null, to: 0 },
  { name: '1-30', from: 1, to: 30 },
  { name: '31-60', from: 31, to: 60 },
  { name: '61-90', from: 61, to: 90 },
  { name: '91-120', from: 91, to: 120 },
  { name: '121-180', from: 121, to: 180 },
  { name: '181+', from: 181, to: null },
] as const satisfies ReadonlyArray<{ name: string; from: number | null; to: number | null }>;

export type Bucket = (typeof BUCKETS)[number]['name'];
export const BUCKET_NAMES: readonly Bucket[] = BUCKETS.map((b) => b.name);

export const PHASES = ['preventive', 'administrative', 'extrajudicial', 'judicial', 'written_off', 'settled'] as const;
export type Phase = (typeof PHASES)[number];
/** Phases the thresholds assign; the others are set by hand (written_off) or by having nothing owed (settled). */
export const THRESHOLD_PHASES = ['preventive', 'administrative', 'extrajudicial', 'judicial'] as const;

/** Phases as the back office names them in Spanish. */
const PHASE_ES: Readonly<Record<Phase, string>> = {
  preventive: 'preventiva',
  administrative: 'administrativa',
  extrajudicial: 'extrajudicial',
  judicial: 'judicial',
  written_off: 'castigada',
  settled: 'liquidada',
};

/** A phase as a reader of `language` says it: the code in English, the back office's word in Spanish. */
export function phaseName(phase: string, language: Language): string {
  return language === 'es' && isPhase(phase) ? PHASE_ES[phase] : phase;
}

/** A bucket as a reader of `language` says it: only `current` is a word ("al corriente"); ranges stay as they are. */
export function bucketName(bucket: string, language: Language): string {
  return language === 'es' && bucket === 'current' ? 'al corriente' : bucket;
}

export function isPhase(value: string): value is Phase {
  return (PHASES as readonly string[]).includes(value);
}

/** Per-portfolio phase thresholds: each phase starts at its DPD (inclusive). */
export interface PhaseThresholds {
  administrativeFrom: number;
  extrajudicialFrom: number;
  judicialFrom: number;
  /** Delays the phase (not the DPD) by this many days. */
  graceDays: number;
  /** Days before the due date at which preventive reminders start (used by strategies). */
  preventiveDays: number;
}

export const DEFAULT_THRESHOLDS: PhaseThresholds = {
  administrativeFrom: 1,
  extrajudicialFrom: 31,
  judicialFrom: 91,
  graceDays: 0,
  preventiveDays: 5,
};

/** What a reader calls each threshold: the API's field names, or the CLI's flags. */
export type ThresholdNames = Readonly<Record<keyof PhaseThresholds, string>>;

/** The API's field names (PUT /portfolios/{name}/phases), the default in messages. */
export const THRESHOLD_FIELDS: ThresholdNames = {
  administrativeFrom: 'administrative_from',
  extrajudicialFrom: 'extrajudicial_from',
  judicialFrom: 'judicial_from',
  graceDays: 'grace_days',
  preventiveDays: 'preventive_days',
};

/**
 * Returns the reasons thresholds are unusable, or an empty list. Each threshold is called by `names` (the API's
 * fields unless told otherwise), as the reader wrote it, never by this module's property names.
 */
export function validateThresholds(thresholds: PhaseThresholds, names: ThresholdNames = THRESHOLD_FIELDS): Text[] {
  const problems: Text[] = [];
  for (const [k, v] of Object.entries(thresholds) as Array<[keyof PhaseThresholds, number]>) {
    if (!Number.isInteger(v) || v < 0) problems.push(t(`${names[k]} must be a whole number ≥ 0`, `${names[k]} debe ser un número entero ≥ 0`));
  }
  const admin = names.administrativeFrom;
  if (thresholds.administrativeFrom < 1) problems.push(t(`${admin} must be at least 1 (DPD ≤ 0 is preventive)`, `${admin} debe ser al menos 1 (con días de atraso ≤ 0 la fase es preventiva)`));
  if (!(thresholds.administrativeFrom < thresholds.extrajudicialFrom && thresholds.extrajudicialFrom < thresholds.judicialFrom)) {
    const order = `${admin} < ${names.extrajudicialFrom} < ${names.judicialFrom}`;
    const values = `${thresholds.administrativeFrom}, ${thresholds.extrajudicialFrom}, ${thresholds.judicialFrom}`;
    problems.push(t(`thresholds must increase: ${order} (they would be ${values})`, `los umbrales deben ir en aumento: ${order} (quedarían en ${values})`));
  }
  return problems;
}

/** DPD of an obligation as of a date: calendar days since the due date (negative before it). */
export function daysPastDue(dueOn: PlainDate, asOf: PlainDate): number {
  return daysBetween(dueOn, asOf);
}

export function bucketFor(dpd: number): Bucket {
  for (const b of BUCKETS) if ((b.from === null || dpd >= b.from) && (b.to === null || dpd <= b.to)) return b.name;
  /* c8 ignore next */
  throw new Error(`no bucket for ${dpd}`);
}

/** Phase by thresholds for an account that owes something; grace days are subtracted from DPD first. */
export function phaseFor(dpd: number, t: PhaseThresholds = DEFAULT_THRESHOLDS): Exclude<Phase, 'written_off' | 'settled'> {
  const effective = dpd - t.graceDays;
  if (effective >= t.judicialFrom) return 'judicial';
  if (effective >= t.extrajudicialFrom) return 'extrajudicial';
  if (effective >= t.administrativeFrom) return 'administrative';
  return 'preventive';
}

export interface AccountPhaseInput {
  /** Worst DPD among open obligations, or null when nothing is owed. */
  dpd: number | null;
  thresholds: PhaseThresholds;
  /** A manual phase still in force (not expired). */
  manualPhase: Phase | null;
  /** Whether a hold is active on the as-of date. */
  onHold: boolean;
  /** The phase the account had before this date's run (null for a new account). */
  previousPhase: Phase | null;
}

/**
 * Precedence: nothing owed → settled; else a manual phase in force; else, on hold, the phase stays frozen at what it
 * was; else the thresholds.
 */
export function accountPhase(input: AccountPhaseInput): { phase: Phase; source: 'settled' | 'manual' | 'hold' | 'rule' } {
  if (input.dpd === null) return { phase: 'settled', source: 'settled' };
  if (input.manualPhase) return { phase: input.manualPhase, source: 'manual' };
  if (input.onHold && input.previousPhase && input.previousPhase !== 'settled') return { phase: input.previousPhase, source: 'hold' };
  return { phase: phaseFor(input.dpd, input.thresholds), source: 'rule' };
}
