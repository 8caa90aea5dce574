ALTER TABLE "audit_log" ADD COLUMN "merge" jsonb;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "fields" jsonb;