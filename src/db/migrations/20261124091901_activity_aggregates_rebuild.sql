-- The activity aggregates gain portfolio, phase and segment (ADR 0011). Their rows cannot be split after the fact, so
-- they are emptied along with each company's refresh mark: the next back-office refresh of each company sums its
-- whole history again with the new dimensions (as a first refresh does), and until then the dashboard reads these
-- figures from the source tables.
DELETE FROM "kpi_daily_interactions";--> statement-breakpoint
DELETE FROM "kpi_daily_promise_outcomes";--> statement-breakpoint
DELETE FROM "kpi_daily_messages";--> statement-breakpoint
DELETE FROM "kpi_activity_refreshes";
