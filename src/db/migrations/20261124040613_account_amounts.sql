ALTER TABLE "account_states" ADD COLUMN "amounts_currency" char(3);--> statement-breakpoint
ALTER TABLE "account_states" ADD COLUMN "balance_sum" bigint;--> statement-breakpoint
ALTER TABLE "account_states" ADD COLUMN "overdue_sum" bigint;