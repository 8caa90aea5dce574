CREATE SEQUENCE "public"."change_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"device_id" text NOT NULL,
	"change_id" uuid,
	"table_name" text NOT NULL,
	"record_id" uuid NOT NULL,
	"operation" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"outcome" text NOT NULL,
	"rule" text,
	"server_version" bigint
);
--> statement-breakpoint
CREATE TABLE "conflicts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	"device_id" text NOT NULL,
	"change_id" uuid,
	"table_name" text NOT NULL,
	"record_id" uuid NOT NULL,
	"client_data" jsonb NOT NULL,
	"server_data" jsonb NOT NULL,
	"resolution" text NOT NULL,
	"rule" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sync_at" timestamp with time zone,
	CONSTRAINT "devices_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "fields" (
	"id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"server_version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"written_by" text NOT NULL,
	"form_id" uuid NOT NULL,
	"section_id" uuid,
	"label" text NOT NULL,
	"type" text DEFAULT 'text' NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"options" jsonb,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "form_sections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"server_version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"written_by" text NOT NULL,
	"form_id" uuid NOT NULL,
	"title" text,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "form_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"server_version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"written_by" text NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb
);
--> statement-breakpoint
CREATE TABLE "forms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"server_version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"written_by" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'draft' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_data" (
	"id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"server_version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"written_by" text NOT NULL,
	"metric" text NOT NULL,
	"value" double precision NOT NULL,
	"store_id" text,
	"period" text,
	"target" double precision
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"server_version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"written_by" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb
);
--> statement-breakpoint
CREATE TABLE "submission_answers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"server_version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"written_by" text NOT NULL,
	"submission_id" uuid NOT NULL,
	"field_id" uuid NOT NULL,
	"value" jsonb
);
--> statement-breakpoint
CREATE TABLE "submissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"server_version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"written_by" text NOT NULL,
	"form_id" uuid NOT NULL,
	"status" text NOT NULL,
	"store_id" text,
	"submitted_by" text,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "team" (
	"id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"server_version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"written_by" text NOT NULL,
	"name" text NOT NULL,
	"role" text,
	"store_id" text,
	"email" text,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_device_change_idx" ON "audit_log" USING btree ("device_id","change_id");--> statement-breakpoint
CREATE INDEX "audit_log_record_idx" ON "audit_log" USING btree ("table_name","record_id");--> statement-breakpoint
CREATE INDEX "conflicts_device_change_idx" ON "conflicts" USING btree ("device_id","change_id");--> statement-breakpoint
CREATE INDEX "fields_server_version_idx" ON "fields" USING btree ("server_version");--> statement-breakpoint
CREATE INDEX "fields_form_idx" ON "fields" USING btree ("form_id");--> statement-breakpoint
CREATE INDEX "form_sections_server_version_idx" ON "form_sections" USING btree ("server_version");--> statement-breakpoint
CREATE INDEX "form_sections_form_idx" ON "form_sections" USING btree ("form_id");--> statement-breakpoint
CREATE INDEX "form_templates_server_version_idx" ON "form_templates" USING btree ("server_version");--> statement-breakpoint
CREATE INDEX "forms_server_version_idx" ON "forms" USING btree ("server_version");--> statement-breakpoint
CREATE INDEX "kpi_data_server_version_idx" ON "kpi_data" USING btree ("server_version");--> statement-breakpoint
CREATE INDEX "settings_server_version_idx" ON "settings" USING btree ("server_version");--> statement-breakpoint
CREATE INDEX "submission_answers_server_version_idx" ON "submission_answers" USING btree ("server_version");--> statement-breakpoint
CREATE INDEX "submission_answers_submission_idx" ON "submission_answers" USING btree ("submission_id");--> statement-breakpoint
CREATE INDEX "submissions_server_version_idx" ON "submissions" USING btree ("server_version");--> statement-breakpoint
CREATE INDEX "submissions_form_idx" ON "submissions" USING btree ("form_id");--> statement-breakpoint
CREATE INDEX "team_server_version_idx" ON "team" USING btree ("server_version");