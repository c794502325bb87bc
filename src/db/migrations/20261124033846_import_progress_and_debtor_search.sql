ALTER TABLE "imports" ADD COLUMN "error_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "file_bytes" bigint;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "bytes_read" bigint;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "debtors_name_search_idx" ON "debtors" USING gin (to_tsvector('simple'::regconfig, regexp_replace(lower(translate("name", 'áàâäãéèêëíìîïóòôöõúùûüñçýÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇÝ', 'aaaaaeeeeiiiiooooouuuuncyAAAAAEEEEIIIIOOOOOUUUUNCY')), '[^a-z0-9]+', ' ', 'g')));