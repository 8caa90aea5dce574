DROP INDEX `pending_changes_queue_idx`;--> statement-breakpoint
DROP INDEX `pending_changes_record_idx`;--> statement-breakpoint
CREATE INDEX `pending_changes_queue_idx` ON `pending_changes` (`needs_attention`,`id`);--> statement-breakpoint
CREATE INDEX `pending_changes_record_idx` ON `pending_changes` (`table_name`,`record_id`);--> statement-breakpoint
ALTER TABLE `pending_changes` DROP COLUMN `synced`;--> statement-breakpoint
ALTER TABLE `pending_changes` DROP COLUMN `next_attempt_at`;