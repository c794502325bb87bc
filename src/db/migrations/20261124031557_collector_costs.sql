CREATE TABLE "collector_costs" (
	"company_id" bigint NOT NULL,
	"collector_id" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"monthly_cost" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "collector_costs_company_id_collector_id_pk" PRIMARY KEY("company_id","collector_id")
);
--> statement-breakpoint
ALTER TABLE "collector_costs" ADD CONSTRAINT "collector_costs_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;