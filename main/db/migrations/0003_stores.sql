CREATE TABLE `stores` (
	`id` text PRIMARY KEY NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	`server_version` integer,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`region` text,
	`active` integer DEFAULT true NOT NULL
);
