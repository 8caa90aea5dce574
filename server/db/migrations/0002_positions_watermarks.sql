CREATE TABLE "sync_watermarks" (
	"at" timestamp with time zone PRIMARY KEY NOT NULL,
	"server_txid" bigint NOT NULL,
	"server_version" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "fields_server_version_idx";--> statement-breakpoint
DROP INDEX "form_sections_server_version_idx";--> statement-breakpoint
DROP INDEX "form_templates_server_version_idx";--> statement-breakpoint
DROP INDEX "forms_server_version_idx";--> statement-breakpoint
DROP INDEX "kpi_data_server_version_idx";--> statement-breakpoint
DROP INDEX "settings_server_version_idx";--> statement-breakpoint
DROP INDEX "submission_answers_server_version_idx";--> statement-breakpoint
DROP INDEX "submissions_server_version_idx";--> statement-breakpoint
DROP INDEX "team_server_version_idx";--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "client_edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "server_edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "server_txid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "form_sections" ADD COLUMN "server_txid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "form_sections" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "form_templates" ADD COLUMN "server_txid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "form_templates" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "forms" ADD COLUMN "server_txid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "forms" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "kpi_data" ADD COLUMN "server_txid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_data" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "server_txid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "submission_answers" ADD COLUMN "server_txid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "submission_answers" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "server_txid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "team" ADD COLUMN "server_txid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "team" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "fields_position_idx" ON "fields" USING btree ("server_txid","server_version");--> statement-breakpoint
CREATE INDEX "form_sections_position_idx" ON "form_sections" USING btree ("server_txid","server_version");--> statement-breakpoint
CREATE INDEX "form_templates_position_idx" ON "form_templates" USING btree ("server_txid","server_version");--> statement-breakpoint
CREATE INDEX "forms_position_idx" ON "forms" USING btree ("server_txid","server_version");--> statement-breakpoint
CREATE INDEX "kpi_data_position_idx" ON "kpi_data" USING btree ("server_txid","server_version");--> statement-breakpoint
CREATE INDEX "settings_position_idx" ON "settings" USING btree ("server_txid","server_version");--> statement-breakpoint
CREATE INDEX "submission_answers_position_idx" ON "submission_answers" USING btree ("server_txid","server_version");--> statement-breakpoint
CREATE INDEX "submissions_position_idx" ON "submissions" USING btree ("server_txid","server_version");--> statement-breakpoint
CREATE INDEX "team_position_idx" ON "team" USING btree ("server_txid","server_version");