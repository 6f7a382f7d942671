-- Reverts 0000_memory_tables. Written by hand (drizzle-kit generates forward migrations only); run by
-- rollback(db) from @neptune/memory/drizzle. Dropping a table drops its indexes.
DROP TABLE IF EXISTS "neptune_suggestion_feedback";
--> statement-breakpoint
DROP TABLE IF EXISTS "neptune_memory_consent";
--> statement-breakpoint
DROP TABLE IF EXISTS "neptune_action_history";
--> statement-breakpoint
DROP TABLE IF EXISTS "neptune_messages";
--> statement-breakpoint
DROP TABLE IF EXISTS "neptune_conversations";
