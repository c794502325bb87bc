ALTER TABLE "kpi_daily_interactions" DROP CONSTRAINT "kpi_daily_interactions_company_id_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "kpi_daily_messages" DROP CONSTRAINT "kpi_daily_messages_company_id_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "kpi_daily_promise_outcomes" DROP CONSTRAINT "kpi_daily_promise_outcomes_company_id_companies_id_fk";
--> statement-breakpoint
DROP INDEX "kpi_daily_interactions_filter_idx";--> statement-breakpoint
DROP INDEX "kpi_daily_messages_filter_idx";--> statement-breakpoint
DROP INDEX "kpi_daily_promise_outcomes_filter_idx";--> statement-breakpoint
ALTER TABLE "kpi_daily_interactions" DROP CONSTRAINT "kpi_daily_interactions_company_id_day_collector_id_channel_portfolio_id_phase_segment_pk";--> statement-breakpoint
ALTER TABLE "kpi_daily_messages" DROP CONSTRAINT "kpi_daily_messages_company_id_day_channel_strategy_id_step_id_portfolio_id_phase_segment_pk";--> statement-breakpoint
ALTER TABLE "kpi_daily_promise_outcomes" DROP CONSTRAINT "kpi_daily_promise_outcomes_company_id_day_collector_id_portfolio_id_phase_segment_pk";--> statement-breakpoint
ALTER TABLE "kpi_daily_interactions" ADD CONSTRAINT "kpi_daily_interactions_company_id_portfolio_id_segment_phase_day_collector_id_channel_pk" PRIMARY KEY("company_id","portfolio_id","segment","phase","day","collector_id","channel");--> statement-breakpoint
ALTER TABLE "kpi_daily_messages" ADD CONSTRAINT "kpi_daily_messages_company_id_portfolio_id_segment_phase_day_channel_strategy_id_step_id_pk" PRIMARY KEY("company_id","portfolio_id","segment","phase","day","channel","strategy_id","step_id");--> statement-breakpoint
ALTER TABLE "kpi_daily_promise_outcomes" ADD CONSTRAINT "kpi_daily_promise_outcomes_company_id_portfolio_id_segment_phase_day_collector_id_pk" PRIMARY KEY("company_id","portfolio_id","segment","phase","day","collector_id");--> statement-breakpoint
CREATE INDEX "kpi_daily_interactions_day_idx" ON "kpi_daily_interactions" USING btree ("company_id","day");--> statement-breakpoint
CREATE INDEX "kpi_daily_messages_day_idx" ON "kpi_daily_messages" USING btree ("company_id","day");--> statement-breakpoint
CREATE INDEX "kpi_daily_promise_outcomes_day_idx" ON "kpi_daily_promise_outcomes" USING btree ("company_id","day");