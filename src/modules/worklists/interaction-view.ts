import type { interactions } from '../../db/tables/worklists.ts';
import { formatDecimal } from '../../domain/money.ts';

/** An interaction as the API returns it (money as a decimal string beside its currency). */
export interface InteractionView {
  id: number;
  debtor_external_id: string;
  channel: string;
  outcome: string;
  notes: string | null;
  next_action_on: string | null;
  collector_id: number | null;
  actor: string;
  occurred_at: string;
  task_id: number | null;
  promise: { amount: string; currency: string; date: string; id: number | null } | null;
}

export function interactionView(row: typeof interactions.$inferSelect, debtorExternalId: string): InteractionView {
  return {
    id: row.id,
    debtor_external_id: debtorExternalId,
    channel: row.channel,
    outcome: row.outcome,
    notes: row.notes,
    next_action_on: row.nextActionOn,
    collector_id: row.collectorId,
    actor: row.actor,
    occurred_at: row.occurredAt.toISOString(),
    task_id: row.taskId,
    promise:
      row.promiseAmount !== null && row.promiseCurrency && row.promiseDate
        ? { amount: formatDecimal(row.promiseAmount, row.promiseCurrency), currency: row.promiseCurrency, date: row.promiseDate, id: row.promiseId }
        : null,
  };
}
