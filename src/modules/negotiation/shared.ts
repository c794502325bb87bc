/** Helpers shared by the negotiation use cases: the company's day and holidays, transactions, tasks, holds. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/connection.ts';
import { companies, debtors, holds, tasks } from '../../db/schema.ts';
import { dateInZone, type PlainDate } from '../../domain/calendar.ts';
import { HOLIDAY_CALENDARS, holidaySet, type HolidayCalendarId } from '../../domain/compliance/index.ts';
import { DEFAULT_POLICY_FILE, isApproverRole, mayApprove, type ApproverRole, type HolidayTest, type OfferEvaluation } from '../../domain/negotiation/index.ts';
import { formatDecimal } from '../../domain/money.ts';
import type { Ctx } from '../shared/context.ts';
import { AppError, compose, notFound, t, type Text } from '../shared/errors.ts';
import { visibleDebtorFilter } from '../access/index.ts';

/** Who took a commitment. */
export const TAKEN_BY = ['debtor', 'collector', 'import'] as const;
export type TakenBy = (typeof TAKEN_BY)[number];

/** Channels a commitment or dispute may come through. */
export const NEGOTIATION_CHANNELS = ['portal', 'whatsapp', 'phone', 'email', 'sms', 'visit', 'api', 'import', 'other'] as const;
export type NegotiationChannel = (typeof NEGOTIATION_CHANNELS)[number];

/** A transaction handle as the query layer's type (a Drizzle transaction is a database). */
export type Tx = Db;

export interface CompanyFacts {
  id: number;
  country: string;
  timeZone: string;
  locale: string;
  name: string;
}

export async function companyFacts(ctx: Ctx): Promise<CompanyFacts> {
  const [c] = await ctx.database.db.select().from(companies).where(eq(companies.id, ctx.companyId));
  if (!c) throw notFound('company', ctx.companyId);
  return { id: c.id, country: c.country, timeZone: c.timeZone, locale: c.locale, name: c.name };
}

/** Today in the company's time zone. */
export function todayOf(ctx: Ctx, company: CompanyFacts): PlainDate {
  return dateInZone(ctx.clock.now(), company.timeZone);
}

/** The company country's holidays (weekends only for a country without a calendar). */
export function holidaysOf(company: CompanyFacts): HolidayTest {
  if (!(HOLIDAY_CALENDARS as readonly string[]).includes(company.country)) return () => false;
  const cache = new Map<number, Set<PlainDate>>();
  return (d: PlainDate) => {
    const year = Number(d.slice(0, 4));
    let set = cache.get(year);
    if (!set) {
      set = holidaySet(company.country as HolidayCalendarId, [year]);
      cache.set(year, set);
    }
    return set.has(d);
  };
}

/** A ctx whose database runs inside `tx`, for use cases of other modules called within our transaction. */
export function inTx(ctx: Ctx, tx: Tx): Ctx {
  const database: Database = {
    ...ctx.database,
    db: tx,
    async query<T>(statement: Parameters<Database['query']>[0]): Promise<T[]> {
      const result = (await tx.execute(statement)) as unknown as { rows: T[] };
      return result.rows;
    },
  };
  return { ...ctx, database };
}

/** Runs `work` in one transaction. */
export function transaction<T>(ctx: Ctx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.database.db.transaction(async (tx) => work(tx as unknown as Tx));
}

export interface DebtorRef {
  id: number;
  externalId: string;
  name: string;
  email: string | null;
  taxId: string | null;
}

export async function debtorById(ctx: Ctx, debtorId: number, db: Db = ctx.database.db): Promise<DebtorRef> {
  const [d] = await db
    .select({ id: debtors.id, externalId: debtors.externalId, name: debtors.name, email: debtors.email, taxId: debtors.taxId })
    .from(debtors)
    .where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.id, debtorId), visibleDebtorFilter(ctx)));
  if (!d) throw notFound('debtor', debtorId);
  return d;
}

/**
 * The id of a debtor named by its external id (HTTP and CLI name debtors that way). For an agency, a debtor not placed
 * with it is `not_found`, so every negotiation read or write reached through this lookup is scoped.
 */
export async function debtorIdByExternalId(ctx: Ctx, externalId: string): Promise<number> {
  const [d] = await ctx.database.db
    .select({ id: debtors.id })
    .from(debtors)
    .where(and(eq(debtors.companyId, ctx.companyId), eq(debtors.externalId, externalId), visibleDebtorFilter(ctx)));
  if (!d) throw notFound('debtor', externalId);
  return d.id;
}

/** Opens a task for people; the same cause twice is one task. Returns its id (existing or new). */
export async function openTask(
  ctx: Ctx,
  tx: Tx,
  task: { debtorId: number; portfolioId?: number | null; kind: string; dueOn: PlainDate; cause: string; note: string },
): Promise<number> {
  const key = `negotiation:${task.kind}:${task.cause}`;
  const now = ctx.clock.now();
  const [row] = await tx
    .insert(tasks)
    .values({ companyId: ctx.companyId, debtorId: task.debtorId, portfolioId: task.portfolioId ?? null, kind: task.kind, dueOn: task.dueOn, status: 'open', cause: task.cause, idempotencyKey: key, note: task.note, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [tasks.companyId, tasks.idempotencyKey] })
    .returning({ id: tasks.id });
  if (row) return row.id;
  const [existing] = await tx.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.companyId, ctx.companyId), eq(tasks.idempotencyKey, key)));
  return existing!.id;
}

/** Closes a task (done or cancelled) if it is still open. */
export async function closeTask(ctx: Ctx, tx: Tx, taskId: number | null, status: 'done' | 'cancelled'): Promise<void> {
  if (taskId === null) return;
  const now = ctx.clock.now();
  await tx
    .update(tasks)
    .set({ status, completedAt: now, updatedAt: now })
    .where(and(eq(tasks.companyId, ctx.companyId), eq(tasks.id, taskId), eq(tasks.status, 'open')));
}

/** Places a hold on the debtor; returns its id. `expiresOn` is the first day collection may resume. */
export async function placeHold(ctx: Ctx, tx: Tx, hold: { debtorId: number; reason: 'promise' | 'agreement'; startsOn: PlainDate; expiresOn: PlainDate | null; note: string }): Promise<number> {
  const [row] = await tx
    .insert(holds)
    .values({ companyId: ctx.companyId, debtorId: hold.debtorId, reason: hold.reason, note: hold.note, createdBy: ctx.actor, startsOn: hold.startsOn, expiresOn: hold.expiresOn })
    .returning({ id: holds.id });
  return row!.id;
}

/** Releases a hold if it is still active. */
export async function releaseHold(ctx: Ctx, tx: Tx, holdId: number | null, note: string): Promise<void> {
  if (holdId === null) return;
  await tx
    .update(holds)
    .set({ releasedAt: ctx.clock.now(), releasedBy: ctx.actor, releaseNote: note })
    .where(and(eq(holds.companyId, ctx.companyId), eq(holds.id, holdId), isNull(holds.releasedAt)));
}

/** Who approves an exception to the negotiation policy, as the notes of approval tasks name them. */
export const APPROVER_ES: Readonly<Record<string, string>> = { collector: 'gestor', agency: 'despacho', supervisor: 'supervisión', admin: 'administración' };

/**
 * Refuses a decision (approve or reject) on an exception by a user whose role is below the approver the policy named
 * for it when it was asked for (`approverRole`; the default policy's when none was recorded). The command line and
 * jobs act as the system and may decide.
 */
export function assertMayApprove(ctx: Ctx, approverRole: string | null | undefined, what: Text): void {
  const principal = ctx.principal;
  if (!principal || principal.kind === 'system') return;
  const required: ApproverRole = approverRole && isApproverRole(approverRole) ? approverRole : (DEFAULT_POLICY_FILE.approval?.role ?? 'supervisor');
  if (mayApprove(principal.role, required)) return;
  const needs =
    required === 'agency'
      ? t('the agency role (or collector, supervisor, admin)', 'el rol agency (o collector, supervisor, admin)')
      : required === 'admin'
        ? t('the admin role', 'el rol admin')
        : t(`the ${required} role or higher`, `el rol ${required} o uno superior`);
  throw new AppError(
    'forbidden',
    t(
      `deciding on ${what.en} needs ${needs.en}, the approver the negotiation policy names; your role is ${principal.role}. Ask a user with that role to approve or reject it.`,
      `decidir sobre ${what.es} requiere ${needs.es}, quien aprueba según la política de negociación; su rol es ${principal.role}. Pida a un usuario con ese rol que lo apruebe o lo rechace.`,
    ),
    [{ path: 'approver_role', reason: t(`required: ${required}; yours: ${principal.role}`, `requerido: ${required}; el suyo: ${principal.role}`) }],
  );
}

/** A promise's, plan's or dispute's status in Spanish, for a message ("la promesa #3 está cumplida"). */
const STATUS_ES: Readonly<Record<string, readonly [masculine: string, feminine: string]>> = {
  pending_approval: ['por aprobar', 'por aprobar'],
  open: ['abierto', 'abierta'],
  active: ['activo', 'activa'],
  kept: ['cumplido', 'cumplida'],
  completed: ['cumplido', 'cumplida'],
  broken: ['incumplido', 'incumplida'],
  cancelled: ['cancelado', 'cancelada'],
  rejected: ['rechazado', 'rechazada'],
  upheld: ['procedente', 'procedente'],
};

export function statusEs(status: string, gender: 'm' | 'f'): string {
  const words = STATUS_ES[status];
  return words ? words[gender === 'm' ? 0 : 1] : status;
}

/** Refuses an offer the policy does not allow, with every reason (the policy writes each in both languages) as a detail. */
export function refusal(evaluation: OfferEvaluation, message: Text): AppError {
  const reasons = evaluation.reasons.map((r) => ({ path: r.code, reason: t(r.messageEn, r.message) }));
  return new AppError('policy_refused', compose((l) => `${message[l]}: ${reasons.map((r) => r.reason[l]).join(' ')}`), reasons);
}

/** Money for JSON: a decimal string in the currency. */
export function dec(amount: bigint, currency: string): string {
  return formatDecimal(amount, currency.trim());
}

/** Reads a bigint column that raw SQL returned as text or number. */
export function big(v: unknown): bigint {
  return typeof v === 'bigint' ? v : BigInt(String(v ?? 0));
}

export const sqlNow = sql`now()`;
