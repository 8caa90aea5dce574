CREATE TABLE "stores" (
	"id" uuid PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"server_version" bigint DEFAULT nextval('change_version_seq') NOT NULL,
	"server_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"server_txid" bigint DEFAULT 0 NOT NULL,
	"edited_at" timestamp with time zone,
	"written_by" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"region" text,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX "stores_position_idx" ON "stores" USING btree ("server_txid","server_version");--> statement-breakpoint
CREATE INDEX "stores_code_idx" ON "stores" USING btree ("code");