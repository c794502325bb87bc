DROP INDEX "assignments_collector_idx";--> statement-breakpoint
DROP INDEX "worklist_scores_collector_idx";--> statement-breakpoint
CREATE INDEX "assignments_collector_idx" ON "assignments" USING btree ("company_id","collector_id","debtor_id") WHERE valid_to IS NULL;--> statement-breakpoint
CREATE INDEX "worklist_scores_collector_idx" ON "worklist_scores" USING btree ("company_id","collector_id","rank_key" DESC NULLS LAST,"debtor_id" DESC NULLS LAST);