CREATE TABLE "account_history" (
	"company_id" bigint NOT NULL,
	"portfolio_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"phase" text NOT NULL,
	"oldest_due_on" date,
	"balances" jsonb NOT NULL,
	"segments" text[] NOT NULL,
	CONSTRAINT "account_history_portfolio_id_debtor_id_valid_from_pk" PRIMARY KEY("portfolio_id","debtor_id","valid_from")
);
--> statement-breakpoint
CREATE TABLE "account_states" (
	"company_id" bigint NOT NULL,
	"portfolio_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"left_as_of" date,
	"phase" text NOT NULL,
	"phase_since" date NOT NULL,
	"previous_phase" text,
	"previous_phase_since" date,
	"phase_source" text DEFAULT 'rule' NOT NULL,
	"oldest_due_on" date,
	"balances" jsonb NOT NULL,
	"overdue" jsonb NOT NULL,
	"segments" text[] DEFAULT '{}'::text[] NOT NULL,
	"on_hold" boolean DEFAULT false NOT NULL,
	"manual_phase" text,
	"manual_phase_reason" text,
	"manual_phase_by" text,
	"manual_phase_at" timestamp with time zone,
	"manual_phase_until" date,
	"recorded_phase" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_states_portfolio_id_debtor_id_pk" PRIMARY KEY("portfolio_id","debtor_id")
);
--> statement-breakpoint
CREATE TABLE "portfolio_run_days" (
	"company_id" bigint NOT NULL,
	"portfolio_id" bigint NOT NULL,
	"as_of" date NOT NULL,
	CONSTRAINT "portfolio_run_days_portfolio_id_as_of_pk" PRIMARY KEY("portfolio_id","as_of")
);
--> statement-breakpoint
ALTER TABLE "account_states" ADD CONSTRAINT "account_states_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_states" ADD CONSTRAINT "account_states_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_run_days" ADD CONSTRAINT "portfolio_run_days_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_history_portfolio_valid_to_idx" ON "account_history" USING btree ("portfolio_id","valid_to");--> statement-breakpoint
CREATE INDEX "account_states_company_phase_idx" ON "account_states" USING btree ("company_id","phase");--> statement-breakpoint
CREATE INDEX "account_states_debtor_idx" ON "account_states" USING btree ("debtor_id");--> statement-breakpoint
CREATE INDEX "portfolio_run_days_company_idx" ON "portfolio_run_days" USING btree ("company_id","as_of");--> statement-breakpoint
-- Custom: the daily run rewrites few rows of account_states; room on the page keeps those updates beside the old row.
ALTER TABLE "account_states" SET (fillfactor = 90);--> statement-breakpoint
-- Custom: the run dates, from the snapshots taken so far.
INSERT INTO "portfolio_run_days" ("company_id", "portfolio_id", "as_of")
SELECT DISTINCT "company_id", "portfolio_id", "as_of" FROM "account_snapshots";--> statement-breakpoint
-- Custom: the snapshots as ranges. A snapshot starts a range when the account was absent on the portfolio's previous
-- run date or differs from its previous snapshot; a range ends at the run date after its last snapshot (NULL: none).
INSERT INTO "account_history" ("company_id", "portfolio_id", "debtor_id", "valid_from", "valid_to", "phase", "oldest_due_on", "balances", "segments")
WITH days AS (
  SELECT portfolio_id, as_of, lag(as_of) OVER w AS prev_day, lead(as_of) OVER w AS next_day
    FROM portfolio_run_days WINDOW w AS (PARTITION BY portfolio_id ORDER BY as_of)
), snaps AS (
  SELECT s.company_id, s.portfolio_id, s.debtor_id, s.as_of, s.phase, s.as_of - s.days_past_due AS oldest_due_on, s.balances, s.segments,
         d.prev_day, d.next_day
    FROM account_snapshots s JOIN days d ON d.portfolio_id = s.portfolio_id AND d.as_of = s.as_of
), marked AS (
  SELECT snaps.*,
         CASE WHEN lag(as_of) OVER w IS DISTINCT FROM prev_day
                OR (lag(phase) OVER w, lag(oldest_due_on) OVER w, lag(balances) OVER w, lag(segments) OVER w)
                   IS DISTINCT FROM (phase, oldest_due_on, balances, segments) THEN 1 ELSE 0 END AS starts
    FROM snaps WINDOW w AS (PARTITION BY portfolio_id, debtor_id ORDER BY as_of)
), grouped AS (
  SELECT marked.*, sum(starts) OVER (PARTITION BY portfolio_id, debtor_id ORDER BY as_of) AS range_no FROM marked
), ended AS (
  SELECT grouped.*, last_value(next_day) OVER (PARTITION BY portfolio_id, debtor_id, range_no ORDER BY as_of
                                                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS range_end
    FROM grouped
)
SELECT company_id, portfolio_id, debtor_id, as_of, range_end, phase, oldest_due_on, balances, segments
  FROM ended WHERE starts = 1;--> statement-breakpoint
-- Custom: the accounts, their days past due as the oldest open due date; `left_as_of` for those the last run of
-- their portfolio did not place; the phase their snapshot recorded.
INSERT INTO "account_states" ("company_id", "portfolio_id", "debtor_id", "left_as_of", "phase", "phase_since", "previous_phase",
  "previous_phase_since", "phase_source", "oldest_due_on", "balances", "overdue", "segments", "on_hold", "manual_phase",
  "manual_phase_reason", "manual_phase_by", "manual_phase_at", "manual_phase_until", "recorded_phase", "updated_at")
SELECT a.company_id, a.portfolio_id, a.debtor_id, CASE WHEN a.as_of IS DISTINCT FROM p.last_run_on THEN a.as_of END, a.phase, a.phase_since,
       a.previous_phase, a.previous_phase_since, a.phase_source, a.as_of - a.days_past_due, a.balances, a.overdue, a.segments, a.on_hold,
       a.manual_phase, a.manual_phase_reason, a.manual_phase_by, a.manual_phase_at, a.manual_phase_until, coalesce(s.phase, a.phase), a.updated_at
  FROM accounts a
  JOIN portfolios p ON p.id = a.portfolio_id
  LEFT JOIN account_snapshots s ON s.company_id = a.company_id AND s.as_of = a.as_of AND s.portfolio_id = a.portfolio_id AND s.debtor_id = a.debtor_id;
