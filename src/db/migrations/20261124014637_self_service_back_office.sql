CREATE TABLE "agencies" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agencies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agency_placements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agency_placements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"agency_id" bigint NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"placed_by" text NOT NULL,
	"note" text,
	"ended_at" timestamp with time zone,
	"ended_by" text
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "login_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"user_id" bigint,
	"company_id" bigint,
	"at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "password_resets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "password_resets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"agency_id" bigint,
	"active" boolean DEFAULT true NOT NULL,
	"password_hash" text NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "users_role_ck" CHECK ("users"."role" in ('admin','supervisor','collector','agency','auditor','viewer')),
	CONSTRAINT "users_agency_ck" CHECK (("users"."role" = 'agency') = ("users"."agency_id" is not null)),
	CONSTRAINT "users_email_lower_ck" CHECK ("users"."email" = lower("users"."email"))
);
--> statement-breakpoint
CREATE TABLE "conversation_turns" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conversation_turns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"conversation_id" bigint NOT NULL,
	"inbound_message_id" bigint NOT NULL,
	"intent" text,
	"step_before" text NOT NULL,
	"step_after" text NOT NULL,
	"effects" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reply" text,
	"outbox_message_id" bigint,
	"reply_withheld" text,
	"handled" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conversations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"state" jsonb NOT NULL,
	"address" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_inbound_at" timestamp with time zone NOT NULL,
	"window_expires_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"turns" integer DEFAULT 0 NOT NULL,
	"busy_until" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "disputes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"obligation_id" bigint NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"channel" text NOT NULL,
	"opened_by" text NOT NULL,
	"actor" text NOT NULL,
	"opened_on" date NOT NULL,
	"task_id" bigint,
	"resolution" text,
	"adjusted_amount" bigint,
	"previous_amount" bigint,
	"debtor_notice" text,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "negotiation_policies" (
	"company_id" bigint PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"source" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_plan_installments" (
	"plan_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"due_on" date NOT NULL,
	"amount" bigint NOT NULL,
	"principal" bigint NOT NULL,
	"interest" bigint NOT NULL,
	"paid" bigint DEFAULT 0 NOT NULL,
	"paid_on" date,
	"status" text DEFAULT 'pending' NOT NULL,
	CONSTRAINT "payment_plan_installments_plan_id_seq_pk" PRIMARY KEY("plan_id","seq")
);
--> statement-breakpoint
CREATE TABLE "payment_plan_obligations" (
	"plan_id" bigint NOT NULL,
	"obligation_id" bigint NOT NULL,
	"balance" bigint NOT NULL,
	CONSTRAINT "payment_plan_obligations_plan_id_obligation_id_pk" PRIMARY KEY("plan_id","obligation_id")
);
--> statement-breakpoint
CREATE TABLE "payment_plans" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payment_plans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"portfolio_id" bigint,
	"kind" text NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text NOT NULL,
	"covered" bigint NOT NULL,
	"discount" bigint DEFAULT 0 NOT NULL,
	"interest" bigint DEFAULT 0 NOT NULL,
	"down_payment" bigint DEFAULT 0 NOT NULL,
	"total" bigint NOT NULL,
	"frequency" text,
	"annual_interest_bps" integer,
	"grace_days" integer NOT NULL,
	"channel" text NOT NULL,
	"taken_by" text NOT NULL,
	"actor" text NOT NULL,
	"created_on" date NOT NULL,
	"started_on" date,
	"resolved_on" date,
	"paid" bigint DEFAULT 0 NOT NULL,
	"hold_id" bigint,
	"approval_task_id" bigint,
	"approver_role" text,
	"evaluation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"language" text DEFAULT 'es-MX' NOT NULL,
	"note" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"interest_obligation_id" bigint,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promises" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "promises_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"portfolio_id" bigint,
	"currency" char(3) NOT NULL,
	"amount" bigint NOT NULL,
	"promised_on" date NOT NULL,
	"taken_on" date NOT NULL,
	"grace_until" date NOT NULL,
	"channel" text NOT NULL,
	"taken_by" text NOT NULL,
	"actor" text NOT NULL,
	"status" text NOT NULL,
	"paid" bigint DEFAULT 0 NOT NULL,
	"resolved_on" date,
	"hold_id" bigint,
	"approval_task_id" bigint,
	"evaluation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"note" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_alerts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payment_alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"provider_payment_id" bigint NOT NULL,
	"payment_link_id" bigint,
	"debtor_id" bigint,
	"currency" char(3) NOT NULL,
	"amount" bigint NOT NULL,
	"expected_currency" char(3),
	"expected_amount" bigint,
	"detail" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_links" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payment_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"public_id" text NOT NULL,
	"debtor_id" bigint NOT NULL,
	"target_kind" text NOT NULL,
	"target_id" bigint,
	"currency" char(3) NOT NULL,
	"amount" bigint NOT NULL,
	"provider" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"description" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"provider_reference" text,
	"clabe" text,
	"url" text,
	"idempotency_key" text NOT NULL,
	"created_by" text NOT NULL,
	"payment_id" bigint,
	"paid_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_settings" (
	"company_id" bigint PRIMARY KEY NOT NULL,
	"provider" text,
	"link_ttl_hours" integer DEFAULT 72 NOT NULL,
	"bank_reference" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_payments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "provider_payments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"provider" text NOT NULL,
	"provider_payment_id" text NOT NULL,
	"payment_link_id" bigint,
	"reference" text,
	"currency" char(3) NOT NULL,
	"amount" bigint NOT NULL,
	"paid_on" date NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"payment_id" bigint,
	"raw" jsonb,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "portal_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"link_id" bigint,
	"kind" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_identity_attempts" (
	"debtor_id" bigint PRIMARY KEY NOT NULL,
	"company_id" bigint NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_failure_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_links" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "portal_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"issued_by" text NOT NULL,
	"source_key" text,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "portal_sessions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "portal_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"link_id" bigint NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_settings" (
	"company_id" bigint PRIMARY KEY NOT NULL,
	"identity_check" text DEFAULT 'tax_id_last4' NOT NULL,
	"link_ttl_days" integer DEFAULT 30 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"lock_minutes" integer DEFAULT 1440 NOT NULL,
	"secret" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_digests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alert_digests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"day" date NOT NULL,
	"recipient" text NOT NULL,
	"role" text NOT NULL,
	"alerts" integer NOT NULL,
	"sent_at" timestamp with time zone,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignment_rules" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assignment_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"name" text NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"portfolio_id" bigint,
	"segment" text,
	"phase" text,
	"region" text,
	"collector_ids" bigint[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"portfolio_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"collector_id" bigint NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	"source" text NOT NULL,
	"rule_id" bigint,
	"reason" text,
	"assigned_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "collector_settings" (
	"company_id" bigint NOT NULL,
	"collector_id" bigint NOT NULL,
	"capacity" integer DEFAULT 500 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collector_settings_company_id_collector_id_pk" PRIMARY KEY("company_id","collector_id")
);
--> statement-breakpoint
CREATE TABLE "interactions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "interactions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"portfolio_id" bigint,
	"channel" text NOT NULL,
	"outcome" text NOT NULL,
	"notes" text,
	"next_action_on" date,
	"collector_id" bigint,
	"actor" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"task_id" bigint,
	"promise_amount" bigint,
	"promise_currency" char(3),
	"promise_date" date,
	"promise_id" bigint,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_daily_flows" (
	"company_id" bigint NOT NULL,
	"day" date NOT NULL,
	"portfolio_id" bigint NOT NULL,
	"collector_id" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"sales" bigint NOT NULL,
	"collected" bigint NOT NULL,
	"payments" integer NOT NULL,
	CONSTRAINT "kpi_daily_flows_company_id_day_portfolio_id_collector_id_currency_pk" PRIMARY KEY("company_id","day","portfolio_id","collector_id","currency")
);
--> statement-breakpoint
CREATE TABLE "kpi_daily_portfolio" (
	"company_id" bigint NOT NULL,
	"as_of" date NOT NULL,
	"portfolio_id" bigint NOT NULL,
	"collector_id" bigint NOT NULL,
	"segment" text NOT NULL,
	"phase" text NOT NULL,
	"bucket" text NOT NULL,
	"band" text NOT NULL,
	"currency" char(3) NOT NULL,
	"accounts" integer NOT NULL,
	"balance" bigint NOT NULL,
	CONSTRAINT "kpi_daily_portfolio_company_id_as_of_portfolio_id_collector_id_segment_phase_bucket_band_currency_pk" PRIMARY KEY("company_id","as_of","portfolio_id","collector_id","segment","phase","bucket","band","currency")
);
--> statement-breakpoint
CREATE TABLE "kpi_daily_transitions" (
	"company_id" bigint NOT NULL,
	"as_of" date NOT NULL,
	"lag_days" integer NOT NULL,
	"portfolio_id" bigint NOT NULL,
	"collector_id" bigint NOT NULL,
	"segment" text NOT NULL,
	"currency" char(3) NOT NULL,
	"from_bucket" text NOT NULL,
	"to_bucket" text NOT NULL,
	"accounts" integer NOT NULL,
	"start_balance" bigint NOT NULL,
	"end_balance" bigint NOT NULL,
	CONSTRAINT "kpi_daily_transitions_company_id_as_of_lag_days_portfolio_id_collector_id_segment_currency_from_bucket_to_bucket_pk" PRIMARY KEY("company_id","as_of","lag_days","portfolio_id","collector_id","segment","currency","from_bucket","to_bucket")
);
--> statement-breakpoint
CREATE TABLE "kpi_refreshes" (
	"company_id" bigint NOT NULL,
	"as_of" date NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"accounts" integer NOT NULL,
	"duration_ms" integer NOT NULL,
	CONSTRAINT "kpi_refreshes_company_id_as_of_pk" PRIMARY KEY("company_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "worklist_scores" (
	"company_id" bigint NOT NULL,
	"portfolio_id" bigint NOT NULL,
	"debtor_id" bigint NOT NULL,
	"collector_id" bigint,
	"currency" char(3) NOT NULL,
	"balance" bigint NOT NULL,
	"score" real NOT NULL,
	"expected_recovery" bigint NOT NULL,
	"rank_key" bigint NOT NULL,
	"model" text NOT NULL,
	"features" jsonb NOT NULL,
	"as_of" date NOT NULL,
	CONSTRAINT "worklist_scores_portfolio_id_debtor_id_pk" PRIMARY KEY("portfolio_id","debtor_id")
);
--> statement-breakpoint
ALTER TABLE "account_snapshots" DROP CONSTRAINT "account_snapshots_company_id_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_company_id_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "obligations" DROP CONSTRAINT "obligations_company_id_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_company_id_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "phase_changes" DROP CONSTRAINT "phase_changes_company_id_companies_id_fk";
--> statement-breakpoint
DROP INDEX "outbox_due_idx";--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "updated_by" text;--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_placements" ADD CONSTRAINT "agency_placements_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_placements" ADD CONSTRAINT "agency_placements_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_placements" ADD CONSTRAINT "agency_placements_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "login_attempts" ADD CONSTRAINT "login_attempts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "login_attempts" ADD CONSTRAINT "login_attempts_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_turns" ADD CONSTRAINT "conversation_turns_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_turns" ADD CONSTRAINT "conversation_turns_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_turns" ADD CONSTRAINT "conversation_turns_inbound_message_id_inbound_messages_id_fk" FOREIGN KEY ("inbound_message_id") REFERENCES "public"."inbound_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_turns" ADD CONSTRAINT "conversation_turns_outbox_message_id_outbox_messages_id_fk" FOREIGN KEY ("outbox_message_id") REFERENCES "public"."outbox_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_obligation_id_obligations_id_fk" FOREIGN KEY ("obligation_id") REFERENCES "public"."obligations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negotiation_policies" ADD CONSTRAINT "negotiation_policies_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plan_installments" ADD CONSTRAINT "payment_plan_installments_plan_id_payment_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."payment_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plan_obligations" ADD CONSTRAINT "payment_plan_obligations_plan_id_payment_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."payment_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plan_obligations" ADD CONSTRAINT "payment_plan_obligations_obligation_id_obligations_id_fk" FOREIGN KEY ("obligation_id") REFERENCES "public"."obligations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plans" ADD CONSTRAINT "payment_plans_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plans" ADD CONSTRAINT "payment_plans_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plans" ADD CONSTRAINT "payment_plans_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_plans" ADD CONSTRAINT "payment_plans_hold_id_holds_id_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."holds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promises" ADD CONSTRAINT "promises_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promises" ADD CONSTRAINT "promises_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promises" ADD CONSTRAINT "promises_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promises" ADD CONSTRAINT "promises_hold_id_holds_id_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."holds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_alerts" ADD CONSTRAINT "payment_alerts_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_alerts" ADD CONSTRAINT "payment_alerts_provider_payment_id_provider_payments_id_fk" FOREIGN KEY ("provider_payment_id") REFERENCES "public"."provider_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_alerts" ADD CONSTRAINT "payment_alerts_payment_link_id_payment_links_id_fk" FOREIGN KEY ("payment_link_id") REFERENCES "public"."payment_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_alerts" ADD CONSTRAINT "payment_alerts_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_settings" ADD CONSTRAINT "payment_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_payments" ADD CONSTRAINT "provider_payments_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_payments" ADD CONSTRAINT "provider_payments_payment_link_id_payment_links_id_fk" FOREIGN KEY ("payment_link_id") REFERENCES "public"."payment_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_payments" ADD CONSTRAINT "provider_payments_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_events" ADD CONSTRAINT "portal_events_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_events" ADD CONSTRAINT "portal_events_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_events" ADD CONSTRAINT "portal_events_link_id_portal_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."portal_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_identity_attempts" ADD CONSTRAINT "portal_identity_attempts_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_identity_attempts" ADD CONSTRAINT "portal_identity_attempts_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_links" ADD CONSTRAINT "portal_links_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_links" ADD CONSTRAINT "portal_links_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD CONSTRAINT "portal_sessions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD CONSTRAINT "portal_sessions_link_id_portal_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."portal_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_settings" ADD CONSTRAINT "portal_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_digests" ADD CONSTRAINT "alert_digests_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_rules" ADD CONSTRAINT "assignment_rules_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_rules" ADD CONSTRAINT "assignment_rules_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collector_settings" ADD CONSTRAINT "collector_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_debtor_id_debtors_id_fk" FOREIGN KEY ("debtor_id") REFERENCES "public"."debtors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_daily_flows" ADD CONSTRAINT "kpi_daily_flows_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_daily_portfolio" ADD CONSTRAINT "kpi_daily_portfolio_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_daily_transitions" ADD CONSTRAINT "kpi_daily_transitions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_refreshes" ADD CONSTRAINT "kpi_refreshes_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worklist_scores" ADD CONSTRAINT "worklist_scores_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agencies_company_name_uq" ON "agencies" USING btree ("company_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "agency_placements_open_uq" ON "agency_placements" USING btree ("company_id","debtor_id") WHERE "agency_placements"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "agency_placements_agency_idx" ON "agency_placements" USING btree ("company_id","agency_id") WHERE "agency_placements"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "audit_log_company_at_idx" ON "audit_log" USING btree ("company_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("company_id","entity","entity_id");--> statement-breakpoint
CREATE INDEX "login_attempts_email_at_idx" ON "login_attempts" USING btree ("email","at");--> statement-breakpoint
CREATE UNIQUE INDEX "password_resets_token_uq" ON "password_resets" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "password_resets_user_idx" ON "password_resets" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_uq" ON "sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_company_idx" ON "users" USING btree ("company_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_turns_inbound_uq" ON "conversation_turns" USING btree ("inbound_message_id");--> statement-breakpoint
CREATE INDEX "conversation_turns_conversation_idx" ON "conversation_turns" USING btree ("conversation_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_active_uq" ON "conversations" USING btree ("company_id","debtor_id","channel") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "conversations_debtor_idx" ON "conversations" USING btree ("debtor_id","started_at");--> statement-breakpoint
CREATE INDEX "conversations_expiry_idx" ON "conversations" USING btree ("company_id","status","expires_at");--> statement-breakpoint
CREATE INDEX "disputes_debtor_idx" ON "disputes" USING btree ("debtor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "disputes_open_obligation_uq" ON "disputes" USING btree ("obligation_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "payment_plan_obligations_obligation_idx" ON "payment_plan_obligations" USING btree ("obligation_id");--> statement-breakpoint
CREATE INDEX "payment_plans_debtor_idx" ON "payment_plans" USING btree ("debtor_id");--> statement-breakpoint
CREATE INDEX "payment_plans_company_status_idx" ON "payment_plans" USING btree ("company_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_plans_live_uq" ON "payment_plans" USING btree ("debtor_id","currency") WHERE status IN ('pending_approval', 'active');--> statement-breakpoint
CREATE UNIQUE INDEX "payment_plans_company_key_uq" ON "payment_plans" USING btree ("company_id","idempotency_key") WHERE idempotency_key IS NOT NULL;--> statement-breakpoint
CREATE INDEX "promises_debtor_idx" ON "promises" USING btree ("debtor_id");--> statement-breakpoint
CREATE INDEX "promises_company_status_idx" ON "promises" USING btree ("company_id","status","grace_until");--> statement-breakpoint
CREATE UNIQUE INDEX "promises_live_uq" ON "promises" USING btree ("debtor_id","currency") WHERE status IN ('pending_approval', 'open');--> statement-breakpoint
CREATE UNIQUE INDEX "promises_company_key_uq" ON "promises" USING btree ("company_id","idempotency_key") WHERE idempotency_key IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_alerts_provider_payment_uq" ON "payment_alerts" USING btree ("provider_payment_id");--> statement-breakpoint
CREATE INDEX "payment_alerts_company_status_idx" ON "payment_alerts" USING btree ("company_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_links_public_uq" ON "payment_links" USING btree ("public_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_links_company_key_uq" ON "payment_links" USING btree ("company_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_links_provider_ref_uq" ON "payment_links" USING btree ("company_id","provider","provider_reference") WHERE provider_reference IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payment_links_clabe_idx" ON "payment_links" USING btree ("company_id","clabe") WHERE clabe IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payment_links_debtor_idx" ON "payment_links" USING btree ("debtor_id","created_at");--> statement-breakpoint
CREATE INDEX "payment_links_target_idx" ON "payment_links" USING btree ("company_id","target_kind","target_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_payments_uq" ON "provider_payments" USING btree ("company_id","provider","provider_payment_id");--> statement-breakpoint
CREATE INDEX "provider_payments_link_idx" ON "provider_payments" USING btree ("payment_link_id");--> statement-breakpoint
CREATE INDEX "portal_events_debtor_idx" ON "portal_events" USING btree ("debtor_id","at");--> statement-breakpoint
CREATE INDEX "portal_links_debtor_idx" ON "portal_links" USING btree ("debtor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "portal_links_source_uq" ON "portal_links" USING btree ("company_id","source_key") WHERE "portal_links"."source_key" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "portal_sessions_token_uq" ON "portal_sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_digests_day_recipient_uq" ON "alert_digests" USING btree ("company_id","day","recipient");--> statement-breakpoint
CREATE UNIQUE INDEX "assignment_rules_company_name_uq" ON "assignment_rules" USING btree ("company_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_current_uq" ON "assignments" USING btree ("portfolio_id","debtor_id") WHERE valid_to IS NULL;--> statement-breakpoint
CREATE INDEX "assignments_collector_idx" ON "assignments" USING btree ("company_id","collector_id") WHERE valid_to IS NULL;--> statement-breakpoint
CREATE INDEX "assignments_debtor_idx" ON "assignments" USING btree ("debtor_id","valid_from");--> statement-breakpoint
CREATE INDEX "interactions_debtor_idx" ON "interactions" USING btree ("debtor_id","occurred_at");--> statement-breakpoint
CREATE INDEX "interactions_company_at_idx" ON "interactions" USING btree ("company_id","occurred_at");--> statement-breakpoint
CREATE INDEX "interactions_collector_idx" ON "interactions" USING btree ("company_id","collector_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "interactions_company_key_uq" ON "interactions" USING btree ("company_id","idempotency_key") WHERE idempotency_key IS NOT NULL;--> statement-breakpoint
CREATE INDEX "kpi_daily_portfolio_segment_idx" ON "kpi_daily_portfolio" USING btree ("company_id","segment","as_of");--> statement-breakpoint
CREATE INDEX "worklist_scores_collector_idx" ON "worklist_scores" USING btree ("company_id","collector_id","rank_key" DESC NULLS LAST,"debtor_id");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox_messages" USING btree ("company_id","next_attempt_at","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_sending_idx" ON "outbox_messages" USING btree ("company_id","lease_until") WHERE status = 'sending';--> statement-breakpoint
-- The daily run rewrites every account each day. With half of each page free the new row version fits beside the old
-- one, so an account whose indexed columns did not change is updated in place (HOT) without touching its indexes.
ALTER TABLE "accounts" SET (fillfactor = 50);--> statement-breakpoint
-- The worklist and the alerts look up what needs a person per debtor: payments that could not be applied and replies
-- nobody has handled are few among many, so partial indexes keep those lookups off full scans.
CREATE INDEX IF NOT EXISTS "payments_unapplied_idx" ON "payments" USING btree ("company_id","debtor_id") WHERE "unapplied" > 0 AND "reversed_at" IS NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "inbound_unhandled_idx" ON "inbound_messages" USING btree ("company_id","debtor_id") WHERE "handled_at" IS NULL;--> statement-breakpoint
-- Per-channel and per-step results read a company's messages by creation date.
CREATE INDEX IF NOT EXISTS "outbox_company_created_idx" ON "outbox_messages" USING btree ("company_id","created_at");--> statement-breakpoint
-- The audit log is append-only: the product never updates or deletes an entry.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
--> statement-breakpoint
CREATE TABLE "provider_settings" (
	"company_id" bigint NOT NULL,
	"provider" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secrets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_settings_company_id_provider_pk" PRIMARY KEY("company_id","provider"),
	CONSTRAINT "provider_settings_provider_check" CHECK ("provider_settings"."provider" in ('smtp', 'whatsapp', 'twilio', 'stripe', 'mercadopago'))
);
--> statement-breakpoint
ALTER TABLE "provider_settings" ADD CONSTRAINT "provider_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;