CREATE TABLE "kpi_activity_refreshes" (
	"company_id" bigint PRIMARY KEY NOT NULL,
	"through" date NOT NULL,
	"recomputed_from" date NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_daily_interactions" (
	"company_id" bigint NOT NULL,
	"day" date NOT NULL,
	"collector_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"interactions" integer NOT NULL,
	"answered" integer NOT NULL,
	"right_party" integer NOT NULL,
	"promises" integer NOT NULL,
	"kept" integer NOT NULL,
	"partially_kept" integer NOT NULL,
	"broken" integer NOT NULL,
	CONSTRAINT "kpi_daily_interactions_company_id_day_collector_id_channel_pk" PRIMARY KEY("company_id","day","collector_id","channel")
);
--> statement-breakpoint
CREATE TABLE "kpi_daily_messages" (
	"company_id" bigint NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"strategy_id" bigint NOT NULL,
	"step_id" text NOT NULL,
	"sent" integer NOT NULL,
	"delivered" integer NOT NULL,
	"read" integer NOT NULL,
	"failed" integer NOT NULL,
	"replied" integer NOT NULL,
	"paid_within_7_days" integer NOT NULL,
	CONSTRAINT "kpi_daily_messages_company_id_day_channel_strategy_id_step_id_pk" PRIMARY KEY("company_id","day","channel","strategy_id","step_id")
);
--> statement-breakpoint
CREATE TABLE "kpi_daily_promise_outcomes" (
	"company_id" bigint NOT NULL,
	"day" date NOT NULL,
	"collector_id" bigint NOT NULL,
	"kept" integer NOT NULL,
	"partially_kept" integer NOT NULL,
	"broken" integer NOT NULL,
	CONSTRAINT "kpi_daily_promise_outcomes_company_id_day_collector_id_pk" PRIMARY KEY("company_id","day","collector_id")
);
--> statement-breakpoint
ALTER TABLE "kpi_activity_refreshes" ADD CONSTRAINT "kpi_activity_refreshes_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_daily_interactions" ADD CONSTRAINT "kpi_daily_interactions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_daily_messages" ADD CONSTRAINT "kpi_daily_messages_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_daily_promise_outcomes" ADD CONSTRAINT "kpi_daily_promise_outcomes_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "promises_company_resolved_idx" ON "promises" USING btree ("company_id","resolved_on") WHERE resolved_on IS NOT NULL;--> statement-breakpoint
CREATE INDEX "interactions_promise_idx" ON "interactions" USING btree ("promise_id") WHERE promise_id IS NOT NULL;