ALTER TABLE `conflicts` ADD `client_edited_at` text;--> statement-breakpoint
ALTER TABLE `conflicts` ADD `server_edited_at` text;