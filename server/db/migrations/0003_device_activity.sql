CREATE TABLE "device_activity" (
	"device_id" text NOT NULL,
	"day" date NOT NULL,
	"pulls" integer DEFAULT 0 NOT NULL,
	"pushes" integer DEFAULT 0 NOT NULL,
	"rows_pulled" integer DEFAULT 0 NOT NULL,
	"rows_pushed" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "device_activity_device_id_day_pk" PRIMARY KEY("device_id","day")
);
