CREATE TABLE "device_scope_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"device_id" text NOT NULL,
	"from_store" text,
	"to_store" text NOT NULL,
	"server_txid" bigint NOT NULL,
	"server_version" bigint NOT NULL,
	"actor" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scope_moves" (
	"table_name" text NOT NULL,
	"record_id" uuid NOT NULL,
	"from_store" text,
	"to_store" text,
	"server_txid" bigint NOT NULL,
	"server_version" bigint NOT NULL,
	CONSTRAINT "scope_moves_server_txid_server_version_pk" PRIMARY KEY("server_txid","server_version")
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "scope" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "store_id" text;--> statement-breakpoint
ALTER TABLE "sync_watermarks" ADD COLUMN "rescope" text;--> statement-breakpoint
CREATE INDEX "device_scope_changes_device_idx" ON "device_scope_changes" USING btree ("device_id","id");