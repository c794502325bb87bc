ALTER TABLE "account_states" DROP CONSTRAINT "account_states_portfolio_id_portfolios_id_fk";
--> statement-breakpoint
ALTER TABLE "account_states" DROP CONSTRAINT "account_states_debtor_id_debtors_id_fk";
