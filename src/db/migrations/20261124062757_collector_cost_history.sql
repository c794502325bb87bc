-- Custom: collector costs become effective-dated. A cost saved before had no date and was charged to every period, so
-- it is carried over from the beginning of time ('-infinity'): every figure computed so far stays the same, and a cost
-- set later from any date takes over from that date. The row's updated_at is only its last change, not the day the
-- cost began: dated from it, a cost later set from an earlier day would be overridden again from updated_at on.
ALTER TABLE "collector_costs" ADD COLUMN "effective_from" date DEFAULT '-infinity' NOT NULL;--> statement-breakpoint
ALTER TABLE "collector_costs" ALTER COLUMN "effective_from" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "collector_costs" DROP CONSTRAINT "collector_costs_company_id_collector_id_pk";--> statement-breakpoint
ALTER TABLE "collector_costs" ADD CONSTRAINT "collector_costs_company_id_collector_id_effective_from_pk" PRIMARY KEY("company_id","collector_id","effective_from");
