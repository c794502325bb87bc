ALTER TABLE "kpi_daily_interactions" ADD COLUMN "portfolio_id" bigint NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_daily_interactions" ADD COLUMN "phase" text NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_daily_interactions" ADD COLUMN "segment" text NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_daily_messages" ADD COLUMN "portfolio_id" bigint NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_daily_messages" ADD COLUMN "phase" text NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_daily_messages" ADD COLUMN "segment" text NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_daily_promise_outcomes" ADD COLUMN "portfolio_id" bigint NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_daily_promise_outcomes" ADD COLUMN "phase" text NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_daily_promise_outcomes" ADD COLUMN "segment" text NOT NULL;--> statement-breakpoint
CREATE INDEX "kpi_daily_interactions_filter_idx" ON "kpi_daily_interactions" USING btree ("company_id","portfolio_id","segment","phase","day");--> statement-breakpoint
CREATE INDEX "kpi_daily_messages_filter_idx" ON "kpi_daily_messages" USING btree ("company_id","portfolio_id","segment","phase","day");--> statement-breakpoint
CREATE INDEX "kpi_daily_promise_outcomes_filter_idx" ON "kpi_daily_promise_outcomes" USING btree ("company_id","portfolio_id","segment","phase","day");