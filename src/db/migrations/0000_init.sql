CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"admin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "domain_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"subject" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "domain_events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"from" text NOT NULL,
	"to" text[] NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"app_id" uuid,
	"app_activity_id" text,
	"source_event_id" uuid,
	"actor_user_id" uuid,
	"actor_url" text,
	"verb" text NOT NULL,
	"verb_url" text,
	"object" text NOT NULL,
	"target" text,
	"course" text,
	"message" text,
	"content_hash" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "activity_nouns" (
	"noun_hash" bigint NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"activity_id" uuid NOT NULL,
	CONSTRAINT "activity_nouns_noun_hash_published_at_activity_id_pk" PRIMARY KEY("noun_hash","published_at","activity_id")
);
--> statement-breakpoint
CREATE TABLE "activity_settings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"private" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_alignments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_alignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"badge_id" integer NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "badge_applications" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_applications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" varchar(255) NOT NULL,
	"badge_id" integer NOT NULL,
	"learner" varchar(255) NOT NULL,
	"created" timestamp with time zone NOT NULL,
	"assigned_to" varchar(255),
	"assigned_expiration" timestamp with time zone,
	"processed" timestamp with time zone,
	"system_id" integer,
	"issuer_id" integer,
	"program_id" integer,
	CONSTRAINT "badge_applications_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "badge_categories" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_categories_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"badge_id" integer NOT NULL,
	"value" varchar(255) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_claim_codes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_claim_codes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" varchar(255) NOT NULL,
	"claimed" boolean DEFAULT false NOT NULL,
	"email" varchar(255),
	"multiuse" boolean DEFAULT false NOT NULL,
	"badge_id" integer NOT NULL,
	CONSTRAINT "badge_claim_codes_code_badge" UNIQUE("code","badge_id")
);
--> statement-breakpoint
CREATE TABLE "badge_consumers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_consumers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"api_key" varchar(255) NOT NULL,
	"api_secret_sealed" text NOT NULL,
	"description" varchar(255),
	"system_id" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "badge_consumers_api_key_unique" UNIQUE("api_key")
);
--> statement-breakpoint
CREATE TABLE "badge_criteria" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_criteria_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"badge_id" integer NOT NULL,
	"description" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"required" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_evidence" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_evidence_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"application_id" integer NOT NULL,
	"url" varchar(255),
	"media_type" varchar(8),
	"reflection" text
);
--> statement-breakpoint
CREATE TABLE "badge_images" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_images_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" varchar(255) NOT NULL,
	"url" text,
	"mimetype" varchar(255),
	"data" "bytea",
	CONSTRAINT "badge_images_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "badge_instances" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_instances_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" varchar(255) NOT NULL,
	"email" varchar(255) NOT NULL,
	"issued_on" timestamp with time zone NOT NULL,
	"expires" timestamp with time zone,
	"claim_code" varchar(255),
	"badge_id" integer NOT NULL,
	"salt" varchar(64) NOT NULL,
	"evidence_url" text,
	"narrative" text,
	"user_id" uuid,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	CONSTRAINT "badge_instances_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "badge_issuers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_issuers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" varchar(255) NOT NULL,
	"name" varchar(255) NOT NULL,
	"url" varchar(255) NOT NULL,
	"description" text,
	"email" varchar(255),
	"image_id" integer,
	"system_id" integer NOT NULL,
	CONSTRAINT "badge_issuers_slug_system" UNIQUE("slug","system_id")
);
--> statement-breakpoint
CREATE TABLE "badge_milestone_badges" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_milestone_badges_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"milestone_id" integer NOT NULL,
	"badge_id" integer NOT NULL,
	CONSTRAINT "badge_milestone_badges_pair" UNIQUE("milestone_id","badge_id")
);
--> statement-breakpoint
CREATE TABLE "badge_milestones" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_milestones_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"system_id" integer NOT NULL,
	"primary_badge_id" integer NOT NULL,
	"number_required" integer NOT NULL,
	"action" varchar(32) DEFAULT 'issue' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_programs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_programs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" varchar(255) NOT NULL,
	"name" varchar(255) NOT NULL,
	"url" varchar(255) NOT NULL,
	"description" text,
	"email" varchar(255),
	"image_id" integer,
	"issuer_id" integer NOT NULL,
	CONSTRAINT "badge_programs_slug_issuer" UNIQUE("slug","issuer_id")
);
--> statement-breakpoint
CREATE TABLE "badge_review_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_review_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"review_id" integer NOT NULL,
	"criterion_id" integer NOT NULL,
	"satisfied" boolean DEFAULT false NOT NULL,
	"comment" text
);
--> statement-breakpoint
CREATE TABLE "badge_reviews" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_reviews_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" varchar(255) NOT NULL,
	"application_id" integer NOT NULL,
	"author" varchar(255) NOT NULL,
	"comment" text,
	CONSTRAINT "badge_reviews_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "badge_systems" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_systems_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" varchar(255) NOT NULL,
	"name" varchar(255) NOT NULL,
	"url" varchar(255) NOT NULL,
	"description" text,
	"email" varchar(255),
	"image_id" integer,
	"list_version" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "badge_systems_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "badge_tags" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_tags_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"badge_id" integer NOT NULL,
	"value" varchar(255) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_webhook_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"webhook_id" integer NOT NULL,
	"body" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "badge_webhooks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_webhooks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"url" varchar(255) NOT NULL,
	"secret_sealed" text NOT NULL,
	"system_id" integer NOT NULL,
	CONSTRAINT "badge_webhooks_url_system" UNIQUE("url","system_id")
);
--> statement-breakpoint
CREATE TABLE "badges" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badges_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" varchar(255) NOT NULL,
	"name" varchar(255) NOT NULL,
	"strapline" varchar(140),
	"earner_description" text NOT NULL,
	"consumer_description" text NOT NULL,
	"issuer_url" varchar(255),
	"rubric_url" varchar(255),
	"criteria_url" varchar(255) NOT NULL,
	"time_value" integer,
	"time_units" varchar(16),
	"limit" integer,
	"unique" boolean DEFAULT false NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"created" timestamp with time zone NOT NULL,
	"image_id" integer NOT NULL,
	"system_id" integer NOT NULL,
	"issuer_id" integer,
	"program_id" integer,
	"type" varchar(255) NOT NULL,
	"evidence_type" varchar(16),
	"owner_app_id" uuid,
	CONSTRAINT "badges_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "badge_backpack_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"format" varchar(8) NOT NULL,
	"source_id" text NOT NULL,
	"name" text NOT NULL,
	"issuer_name" text,
	"image_url" text,
	"document" jsonb NOT NULL,
	"verified_at" timestamp with time zone NOT NULL,
	CONSTRAINT "badge_backpack_user_source" UNIQUE("user_id","source_id")
);
--> statement-breakpoint
CREATE TABLE "badge_signing_keys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "badge_signing_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"system_id" integer NOT NULL,
	"did" text NOT NULL,
	"public_key_multibase" text NOT NULL,
	"key_sealed" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "badge_signing_keys_system_id_unique" UNIQUE("system_id")
);
--> statement-breakpoint
CREATE TABLE "course_admins" (
	"course_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "course_admins_course_id_user_id_pk" PRIMARY KEY("course_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "course_classes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"course_id" uuid NOT NULL,
	"path" text NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"is_billed" boolean DEFAULT false NOT NULL,
	"price" numeric(12, 2),
	"currency" text,
	"activation_code_hash" text,
	"starts_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "course_classes_path_unique" UNIQUE("path")
);
--> statement-breakpoint
CREATE TABLE "course_invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"class_id" uuid NOT NULL,
	"email" text NOT NULL,
	"accepted_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "course_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"input" jsonb NOT NULL,
	"total" integer NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "courses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"path" text NOT NULL,
	"shortcode" text,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"course_style" text,
	"signup_url" text,
	"language" text,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"status" text DEFAULT 'online' NOT NULL,
	"published" boolean DEFAULT true NOT NULL,
	"owner_app_id" uuid,
	"owner_institution_id" uuid,
	"owner_user_id" uuid,
	"search" "tsvector" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "courses_path_unique" UNIQUE("path")
);
--> statement-breakpoint
CREATE TABLE "institution_admins" (
	"institution_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "institution_admins_institution_id_user_id_pk" PRIMARY KEY("institution_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "institution_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "institution_members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"email" text NOT NULL,
	"user_id" uuid,
	"full_name" text,
	"groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"identifier" text,
	"username" text,
	"enrol_cohorts" text[] DEFAULT '{}'::text[] NOT NULL,
	"invited_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "institutions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"path" text NOT NULL,
	"name" text NOT NULL,
	"shared_secret_sealed" text NOT NULL,
	"generate_accounts" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "institutions_path_unique" UNIQUE("path")
);
--> statement-breakpoint
CREATE TABLE "course_memberships" (
	"course_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"class_id" uuid,
	"role" text DEFAULT 'Student' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"completed_at" timestamp with time zone,
	"last_access_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "course_memberships_course_id_user_id_pk" PRIMARY KEY("course_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "event_changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"tx" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"event_id" text NOT NULL,
	"revision" integer NOT NULL,
	"kind" text NOT NULL,
	"program_id" text NOT NULL,
	"member_id" text,
	"event_type" text NOT NULL,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"data" jsonb,
	"reference_event_id" text,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_grants" (
	"consumer_id" text NOT NULL,
	"producer_id" text NOT NULL,
	"types" text[],
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "event_grants_consumer_id_producer_id_pk" PRIMARY KEY("consumer_id","producer_id")
);
--> statement-breakpoint
CREATE TABLE "event_program_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "event_programs" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"owner" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_types" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text NOT NULL,
	"schema" jsonb,
	"owner_program_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stored_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"member_id" text NOT NULL,
	"event_type" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL,
	"reference_event_id" text,
	"revision" integer NOT NULL,
	"feed_tx" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "email_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "sign_in_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"email_verified_at" timestamp with time zone,
	"admin" boolean DEFAULT false NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "announcements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"course_id" uuid NOT NULL,
	"app_id" uuid,
	"sender_user_id" uuid,
	"sender_key" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"subject" text NOT NULL,
	"content_text" text NOT NULL,
	"content_html" text NOT NULL,
	"status" text NOT NULL,
	"recipients" integer DEFAULT 0 NOT NULL,
	"cursor_user_id" text,
	"recurrence" text,
	"parent_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "announcements_idempotency_uq" UNIQUE("sender_key","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "mail_suppressions" (
	"email" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_replies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"app_id" uuid,
	"inbound_message_id" text NOT NULL,
	"reply_token" text NOT NULL,
	"body" text NOT NULL,
	"elided" text NOT NULL,
	"source" text NOT NULL,
	"delivery_status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "message_replies_inbound_uq" UNIQUE("inbound_message_id")
);
--> statement-breakpoint
CREATE TABLE "message_reply_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"app_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"app_id" uuid,
	"course_id" uuid,
	"announcement_id" uuid,
	"category" text,
	"subject" text NOT NULL,
	"content_text" text NOT NULL,
	"content_html" text NOT NULL,
	"reply_enabled" boolean NOT NULL,
	"read_at" timestamp with time zone,
	"email_status" text NOT NULL,
	"emailed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "messages_announcement_user_uq" UNIQUE("announcement_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "messaging_app_secrets" (
	"app_id" uuid PRIMARY KEY NOT NULL,
	"secret_sealed" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"user_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"delivery" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notification_preferences_user_id_scope_pk" PRIMARY KEY("user_id","scope")
);
--> statement-breakpoint
CREATE TABLE "oauth_apps" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"homepage_url" text,
	"logo_url" text,
	"redirect_uris" text[] DEFAULT '{}'::text[] NOT NULL,
	"reply_url" text,
	"owner_user_id" uuid,
	"secret_hash" text NOT NULL,
	"secret_rotated_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oidc_payloads" (
	"model" text NOT NULL,
	"id_hash" text NOT NULL,
	"payload" jsonb NOT NULL,
	"grant_id" text,
	"uid" text,
	"user_code" text,
	"account_id" text,
	"client_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	CONSTRAINT "oidc_payloads_model_id_hash_pk" PRIMARY KEY("model","id_hash")
);
--> statement-breakpoint
CREATE TABLE "oidc_signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"sealed_jwk" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"delivery_id" uuid NOT NULL,
	"chain" integer NOT NULL,
	"attempt" integer NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL,
	"succeeded" boolean NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"response_excerpt" text,
	CONSTRAINT "webhook_attempts_delivery_chain_attempt_uq" UNIQUE("delivery_id","chain","attempt")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"app_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"chain" integer DEFAULT 1 NOT NULL,
	"attempts_in_chain" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "webhook_deliveries_endpoint_event_uq" UNIQUE("endpoint_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"app_id" uuid NOT NULL,
	"url" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"event_types" text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"disabled_at" timestamp with time zone,
	"secret_sealed" text NOT NULL,
	"failing_since" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"app_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"details" jsonb NOT NULL,
	"mailed_to" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "badge_alignments" ADD CONSTRAINT "badge_alignments_badge_id_badges_id_fk" FOREIGN KEY ("badge_id") REFERENCES "public"."badges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_applications" ADD CONSTRAINT "badge_applications_badge_id_badges_id_fk" FOREIGN KEY ("badge_id") REFERENCES "public"."badges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_categories" ADD CONSTRAINT "badge_categories_badge_id_badges_id_fk" FOREIGN KEY ("badge_id") REFERENCES "public"."badges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_claim_codes" ADD CONSTRAINT "badge_claim_codes_badge_id_badges_id_fk" FOREIGN KEY ("badge_id") REFERENCES "public"."badges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_consumers" ADD CONSTRAINT "badge_consumers_system_id_badge_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."badge_systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_criteria" ADD CONSTRAINT "badge_criteria_badge_id_badges_id_fk" FOREIGN KEY ("badge_id") REFERENCES "public"."badges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_evidence" ADD CONSTRAINT "badge_evidence_application_id_badge_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."badge_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_instances" ADD CONSTRAINT "badge_instances_badge_id_badges_id_fk" FOREIGN KEY ("badge_id") REFERENCES "public"."badges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_issuers" ADD CONSTRAINT "badge_issuers_image_id_badge_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."badge_images"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_issuers" ADD CONSTRAINT "badge_issuers_system_id_badge_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."badge_systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_milestone_badges" ADD CONSTRAINT "badge_milestone_badges_milestone_id_badge_milestones_id_fk" FOREIGN KEY ("milestone_id") REFERENCES "public"."badge_milestones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_milestone_badges" ADD CONSTRAINT "badge_milestone_badges_badge_id_badges_id_fk" FOREIGN KEY ("badge_id") REFERENCES "public"."badges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_milestones" ADD CONSTRAINT "badge_milestones_system_id_badge_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."badge_systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_milestones" ADD CONSTRAINT "badge_milestones_primary_badge_id_badges_id_fk" FOREIGN KEY ("primary_badge_id") REFERENCES "public"."badges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_programs" ADD CONSTRAINT "badge_programs_image_id_badge_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."badge_images"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_programs" ADD CONSTRAINT "badge_programs_issuer_id_badge_issuers_id_fk" FOREIGN KEY ("issuer_id") REFERENCES "public"."badge_issuers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_review_items" ADD CONSTRAINT "badge_review_items_review_id_badge_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."badge_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_reviews" ADD CONSTRAINT "badge_reviews_application_id_badge_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."badge_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_systems" ADD CONSTRAINT "badge_systems_image_id_badge_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."badge_images"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_tags" ADD CONSTRAINT "badge_tags_badge_id_badges_id_fk" FOREIGN KEY ("badge_id") REFERENCES "public"."badges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_webhook_deliveries" ADD CONSTRAINT "badge_webhook_deliveries_webhook_id_badge_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."badge_webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_webhooks" ADD CONSTRAINT "badge_webhooks_system_id_badge_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."badge_systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badges" ADD CONSTRAINT "badges_image_id_badge_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."badge_images"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badges" ADD CONSTRAINT "badges_system_id_badge_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."badge_systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badges" ADD CONSTRAINT "badges_issuer_id_badge_issuers_id_fk" FOREIGN KEY ("issuer_id") REFERENCES "public"."badge_issuers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badges" ADD CONSTRAINT "badges_program_id_badge_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."badge_programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "badge_signing_keys" ADD CONSTRAINT "badge_signing_keys_system_id_badge_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."badge_systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_admins" ADD CONSTRAINT "course_admins_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_classes" ADD CONSTRAINT "course_classes_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_invitations" ADD CONSTRAINT "course_invitations_class_id_course_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."course_classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_jobs" ADD CONSTRAINT "course_jobs_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_admins" ADD CONSTRAINT "institution_admins_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_keys" ADD CONSTRAINT "institution_keys_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "institution_members" ADD CONSTRAINT "institution_members_institution_id_institutions_id_fk" FOREIGN KEY ("institution_id") REFERENCES "public"."institutions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_memberships" ADD CONSTRAINT "course_memberships_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_memberships" ADD CONSTRAINT "course_memberships_class_id_course_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."course_classes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_grants" ADD CONSTRAINT "event_grants_consumer_id_event_programs_id_fk" FOREIGN KEY ("consumer_id") REFERENCES "public"."event_programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_grants" ADD CONSTRAINT "event_grants_producer_id_event_programs_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."event_programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_program_keys" ADD CONSTRAINT "event_program_keys_program_id_event_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."event_programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_tokens" ADD CONSTRAINT "email_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "domain_events_type_seq_idx" ON "domain_events" USING btree ("type","seq");--> statement-breakpoint
CREATE INDEX "domain_events_subject_idx" ON "domain_events" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "outbox_created_at_idx" ON "outbox" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "activities_app_activity_idx" ON "activities" USING btree ("app_id","app_activity_id") WHERE "activities"."app_activity_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "activities_source_event_idx" ON "activities" USING btree ("source_event_id") WHERE "activities"."source_event_id" is not null;--> statement-breakpoint
CREATE INDEX "badge_alignments_badge_idx" ON "badge_alignments" USING btree ("badge_id");--> statement-breakpoint
CREATE INDEX "badge_applications_badge_idx" ON "badge_applications" USING btree ("badge_id","created");--> statement-breakpoint
CREATE INDEX "badge_categories_badge_idx" ON "badge_categories" USING btree ("badge_id");--> statement-breakpoint
CREATE INDEX "badge_criteria_badge_idx" ON "badge_criteria" USING btree ("badge_id");--> statement-breakpoint
CREATE UNIQUE INDEX "badge_instances_email_badge" ON "badge_instances" USING btree ("email","badge_id") WHERE "badge_instances"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "badge_instances_badge_idx" ON "badge_instances" USING btree ("badge_id","id");--> statement-breakpoint
CREATE INDEX "badge_tags_badge_idx" ON "badge_tags" USING btree ("badge_id");--> statement-breakpoint
CREATE INDEX "badges_system_idx" ON "badges" USING btree ("system_id","id");--> statement-breakpoint
CREATE INDEX "course_classes_course_idx" ON "course_classes" USING btree ("course_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "course_invitations_class_email_idx" ON "course_invitations" USING btree ("class_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "courses_app_shortcode_idx" ON "courses" USING btree ("owner_app_id","shortcode");--> statement-breakpoint
CREATE UNIQUE INDEX "courses_institution_shortcode_idx" ON "courses" USING btree ("owner_institution_id","shortcode");--> statement-breakpoint
CREATE UNIQUE INDEX "courses_user_shortcode_idx" ON "courses" USING btree ("owner_user_id","shortcode");--> statement-breakpoint
CREATE INDEX "courses_search_idx" ON "courses" USING gin ("search");--> statement-breakpoint
CREATE INDEX "courses_title_trgm_idx" ON "courses" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "courses_created_idx" ON "courses" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "institution_members_email_idx" ON "institution_members" USING btree ("institution_id","email");--> statement-breakpoint
CREATE INDEX "institution_members_user_idx" ON "institution_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "course_memberships_user_idx" ON "course_memberships" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "course_memberships_active_idx" ON "course_memberships" USING btree ("course_id","status","user_id");--> statement-breakpoint
CREATE INDEX "event_changes_feed_idx" ON "event_changes" USING btree ("tx","seq");--> statement-breakpoint
CREATE INDEX "event_changes_program_feed_idx" ON "event_changes" USING btree ("program_id","tx","seq");--> statement-breakpoint
CREATE INDEX "event_changes_event_idx" ON "event_changes" USING btree ("event_id","revision");--> statement-breakpoint
CREATE INDEX "event_changes_recorded_idx" ON "event_changes" USING btree ("recorded_at");--> statement-breakpoint
CREATE INDEX "event_program_keys_program_idx" ON "event_program_keys" USING btree ("program_id");--> statement-breakpoint
CREATE INDEX "stored_events_member_idx" ON "stored_events" USING btree ("member_id","program_id");--> statement-breakpoint
CREATE INDEX "stored_events_updated_idx" ON "stored_events" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "email_tokens_user_idx" ON "email_tokens" USING btree ("user_id","purpose");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sign_in_failures_key_at_idx" ON "sign_in_failures" USING btree ("key","at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_lower_idx" ON "users" USING btree (lower("username"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_idx" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "message_replies_message_idx" ON "message_replies" USING btree ("message_id","received_at");--> statement-breakpoint
CREATE INDEX "messages_user_idx" ON "messages" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "messages_digest_idx" ON "messages" USING btree ("email_status","user_id");--> statement-breakpoint
CREATE INDEX "oauth_apps_owner_idx" ON "oauth_apps" USING btree ("owner_user_id","created_at");--> statement-breakpoint
CREATE INDEX "oidc_payloads_grant_idx" ON "oidc_payloads" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "oidc_payloads_uid_idx" ON "oidc_payloads" USING btree ("uid");--> statement-breakpoint
CREATE INDEX "oidc_payloads_user_code_idx" ON "oidc_payloads" USING btree ("user_code");--> statement-breakpoint
CREATE INDEX "oidc_payloads_account_client_idx" ON "oidc_payloads" USING btree ("account_id","client_id");--> statement-breakpoint
CREATE INDEX "oidc_payloads_expires_idx" ON "oidc_payloads" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_created_idx" ON "webhook_deliveries" USING btree ("endpoint_id","created_at","id");--> statement-breakpoint
CREATE INDEX "webhook_endpoints_app_idx" ON "webhook_endpoints" USING btree ("app_id","created_at","id");--> statement-breakpoint
CREATE INDEX "webhook_notices_app_idx" ON "webhook_notices" USING btree ("app_id","created_at");