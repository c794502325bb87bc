ALTER TABLE "assignments" ADD COLUMN "has_credit" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Current assignments of debtors that have credit today.
UPDATE "assignments" a SET "has_credit" = true
 WHERE a."valid_to" IS NULL
   AND EXISTS (SELECT 1 FROM "payments" p WHERE p."company_id" = a."company_id" AND p."debtor_id" = a."debtor_id" AND p."unapplied" > 0 AND p."reversed_at" IS NULL);--> statement-breakpoint
CREATE INDEX "assignments_credit_idx" ON "assignments" USING btree ("company_id","collector_id","debtor_id") WHERE valid_to IS NULL AND has_credit;
