CREATE TABLE `conflicts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`table_name` text NOT NULL,
	`record_id` text NOT NULL,
	`rule` text NOT NULL,
	`resolution` text NOT NULL,
	`client_data` text NOT NULL,
	`server_data` text NOT NULL,
	`change_id` text,
	`decided_at` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`resolved_at` text
);
--> statement-breakpoint
CREATE INDEX `conflicts_status_idx` ON `conflicts` (`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `conflicts_change_idx` ON `conflicts` (`table_name`,`record_id`,`change_id`);--> statement-breakpoint
CREATE TABLE `fields` (
	`id` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`server_version` integer,
	`form_id` text NOT NULL,
	`section_id` text,
	`label` text NOT NULL,
	`type` text DEFAULT 'text' NOT NULL,
	`required` integer DEFAULT false NOT NULL,
	`options` text,
	`position` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fields_form_idx` ON `fields` (`form_id`);--> statement-breakpoint
CREATE TABLE `form_sections` (
	`id` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`server_version` integer,
	`form_id` text NOT NULL,
	`title` text,
	`position` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `form_sections_form_idx` ON `form_sections` (`form_id`);--> statement-breakpoint
CREATE TABLE `form_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`server_version` integer,
	`name` text NOT NULL,
	`definition` text
);
--> statement-breakpoint
CREATE TABLE `forms` (
	`id` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`server_version` integer,
	`title` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'draft' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `kpi_data` (
	`id` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`server_version` integer,
	`metric` text NOT NULL,
	`value` real NOT NULL,
	`store_id` text,
	`period` text,
	`target` real
);
--> statement-breakpoint
CREATE INDEX `kpi_data_metric_idx` ON `kpi_data` (`metric`,`store_id`);--> statement-breakpoint
CREATE TABLE `pending_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`table_name` text NOT NULL,
	`record_id` text NOT NULL,
	`operation` text NOT NULL,
	`data` text,
	`created_at` integer NOT NULL,
	`synced` integer DEFAULT 0 NOT NULL,
	`change_id` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`next_attempt_at` integer,
	`needs_attention` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pending_changes_change_id_idx` ON `pending_changes` (`change_id`);--> statement-breakpoint
CREATE INDEX `pending_changes_queue_idx` ON `pending_changes` (`synced`,`needs_attention`,`id`);--> statement-breakpoint
CREATE INDEX `pending_changes_record_idx` ON `pending_changes` (`table_name`,`record_id`,`synced`);--> statement-breakpoint
CREATE TABLE `settings` (
	`id` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`server_version` integer,
	`key` text NOT NULL,
	`value` text
);
--> statement-breakpoint
CREATE INDEX `settings_key_idx` ON `settings` (`key`);--> statement-breakpoint
CREATE TABLE `submission_answers` (
	`id` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`server_version` integer,
	`submission_id` text NOT NULL,
	`field_id` text NOT NULL,
	`value` text
);
--> statement-breakpoint
CREATE INDEX `submission_answers_submission_idx` ON `submission_answers` (`submission_id`,`field_id`);--> statement-breakpoint
CREATE TABLE `submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`server_version` integer,
	`form_id` text NOT NULL,
	`status` text NOT NULL,
	`store_id` text,
	`submitted_by` text,
	`completed_at` text
);
--> statement-breakpoint
CREATE INDEX `submissions_live_updated_idx` ON `submissions` (`updated_at`,`id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `submissions_live_form_idx` ON `submissions` (`form_id`,`updated_at`,`id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `submissions_live_store_idx` ON `submissions` (`store_id`,`updated_at`,`id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `submissions_live_status_idx` ON `submissions` (`status`,`updated_at`,`id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `submissions_live_counts_idx` ON `submissions` (`form_id`,`store_id`,`status`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE TABLE `sync_metadata` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `team` (
	`id` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`server_version` integer,
	`name` text NOT NULL,
	`role` text,
	`store_id` text,
	`email` text,
	`active` integer DEFAULT true NOT NULL
);
