CREATE TABLE "neptune_action_history" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "neptune_conversations" (
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"id" text NOT NULL,
	"title" text,
	"created_at" timestamp with time zone NOT NULL,
	"last_message_at" timestamp with time zone NOT NULL,
	"last_sequence" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "neptune_conversations_workspace_id_user_id_id_pk" PRIMARY KEY("workspace_id","user_id","id")
);
--> statement-breakpoint
CREATE TABLE "neptune_memory_consent" (
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"extraction" boolean NOT NULL,
	"learning" boolean NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "neptune_memory_consent_workspace_id_user_id_pk" PRIMARY KEY("workspace_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "neptune_messages" (
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"id" text NOT NULL,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "neptune_messages_workspace_id_user_id_conversation_id_sequence_pk" PRIMARY KEY("workspace_id","user_id","conversation_id","sequence"),
	CONSTRAINT "neptune_messages_role_check" CHECK ("neptune_messages"."role" in ('user', 'assistant', 'system'))
);
--> statement-breakpoint
CREATE TABLE "neptune_suggestion_feedback" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"accepted" boolean NOT NULL,
	"hour_of_week" smallint,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "neptune_suggestion_feedback_kind_check" CHECK ("neptune_suggestion_feedback"."kind" in ('pattern', 'timing')),
	CONSTRAINT "neptune_suggestion_feedback_hour_check" CHECK ("neptune_suggestion_feedback"."hour_of_week" is null or ("neptune_suggestion_feedback"."hour_of_week" >= 0 and "neptune_suggestion_feedback"."hour_of_week" < 168))
);
--> statement-breakpoint
CREATE INDEX "neptune_action_history_workspace_user_occurred_idx" ON "neptune_action_history" USING btree ("workspace_id","user_id","occurred_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "neptune_action_history_workspace_user_type_occurred_idx" ON "neptune_action_history" USING btree ("workspace_id","user_id","type","occurred_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "neptune_action_history_workspace_occurred_idx" ON "neptune_action_history" USING btree ("workspace_id","occurred_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "neptune_conversations_workspace_user_last_message_idx" ON "neptune_conversations" USING btree ("workspace_id","user_id","last_message_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "neptune_messages_workspace_user_created_idx" ON "neptune_messages" USING btree ("workspace_id","user_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "neptune_suggestion_feedback_workspace_user_kind_idx" ON "neptune_suggestion_feedback" USING btree ("workspace_id","user_id","kind","key");