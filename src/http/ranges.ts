/**
 * The from/to and min/max pairs of the list routes. A range whose start is after its end can match nothing; it is a
 * mistake (swapped bounds, a mistyped year), so it is refused with both values rather than answered with an empty page.
 */
import { AppError } from '../modules/shared/errors.ts';
import { t, type Text } from '../domain/text.ts';

type Bound = string | number | Date | undefined;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;
const SCALE = 18;

/** A bound as a number that orders like it: decimals exactly (as scaled integers), dates and instants by time. */
function ordinal(value: string | number | Date): { key: bigint | number; kind: 'amount' | 'time' } {
  if (value instanceof Date) return { key: value.getTime(), kind: 'time' };
  if (typeof value === 'number') return { key: value, kind: 'amount' };
  const m = DECIMAL.exec(value);
  if (m) {
    const magnitude = BigInt(m[2]! + (m[3] ?? '').padEnd(SCALE, '0').slice(0, SCALE));
    return { key: m[1] ? -magnitude : magnitude, kind: 'amount' };
  }
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  return { key: Date.parse(date), kind: 'time' };
}

function shown(value: string | number | Date): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/**
 * Refuses (400 validation_failed, on `query.<high>`) a pair of query parameters whose low end is after its high end.
 * Equal ends are a range of one value and pass. `none` says what can then not match: t('no payment', 'ningún pago').
 */
export function checkRange(query: Readonly<Record<string, unknown>>, low: string, high: string, none: Text): void {
  const lowValue = query[low] as Bound;
  const highValue = query[high] as Bound;
  if (lowValue === undefined || highValue === undefined) return;
  const a = ordinal(lowValue);
  const b = ordinal(highValue);
  if (Number.isNaN(a.key) || Number.isNaN(b.key) || a.key <= b.key) return;
  const l = `${low} (${shown(lowValue)})`;
  const h = `${high} (${shown(highValue)})`;
  const message =
    a.kind === 'time'
      ? t(`${l} is after ${h}: ${none.en} can match; swap them or leave one out`, `${l} es posterior a ${h}: ${none.es} puede coincidir; inviértalos u omita uno`)
      : t(`${l} is above ${h}: ${none.en} can match; swap them or leave one out`, `${l} es mayor que ${h}: ${none.es} puede coincidir; inviértalos u omita uno`);
  const reason = a.kind === 'time' ? t(`must not be before ${low}`, `no debe ser anterior a ${low}`) : t(`must be at least ${low}`, `debe ser al menos ${low}`);
  throw new AppError('validation_failed', message, [{ path: `query.${high}`, reason }]);
}
