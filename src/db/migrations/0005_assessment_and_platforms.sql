CREATE TABLE "assessment_activities" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assessment_activities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"course_id" uuid NOT NULL,
	"title" text NOT NULL,
	"nickname" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"instructions" text DEFAULT '' NOT NULL,
	"type" text DEFAULT 'Standard' NOT NULL,
	"visible" boolean DEFAULT true NOT NULL,
	"rubric" jsonb NOT NULL,
	"weights" jsonb NOT NULL,
	"prompts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reviewers_per_submission" integer DEFAULT 3 NOT NULL,
	"anonymity" text DEFAULT 'double' NOT NULL,
	"self_assess_create" boolean DEFAULT false NOT NULL,
	"self_assess_reflect" boolean DEFAULT false NOT NULL,
	"allow_late" boolean DEFAULT false NOT NULL,
	"allocation_seed" text NOT NULL,
	"allocated_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"submission_id" uuid NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_grades" (
	"activity_id" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"peer_mean" real,
	"peer_median" real,
	"peer_mode" real,
	"self_create" real,
	"self_reflect" real,
	"assess" real,
	"reflect" real,
	"instructor" real,
	"override" real,
	"overall" real,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "assessment_grades_activity_id_user_id_pk" PRIMARY KEY("activity_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_group_members" (
	"activity_id" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	CONSTRAINT "assessment_group_members_activity_id_user_id_pk" PRIMARY KEY("activity_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"activity_id" integer NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_reviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"activity_id" integer NOT NULL,
	"submission_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"scores" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'allocated' NOT NULL,
	"submitted_at" timestamp with time zone,
	"helpfulness" integer,
	"rated_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_schedules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assessment_schedules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"activity_id" integer NOT NULL,
	"phase" text NOT NULL,
	"manual" boolean DEFAULT false NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"order" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "assessment_submissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"activity_id" integer NOT NULL,
	"author_key" text NOT NULL,
	"user_id" uuid NOT NULL,
	"group_id" uuid,
	"prompt" text,
	"content_create" text DEFAULT '' NOT NULL,
	"content_revise" text,
	"self_create" jsonb,
	"self_reflect" jsonb,
	"status" text DEFAULT 'draft' NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"withdrawn" boolean DEFAULT false NOT NULL,
	"submitted_at" timestamp with time zone,
	"revised_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "course_notifications" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "course_notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"course_id" uuid NOT NULL,
	"activity_id" integer,
	"sender_user_id" uuid,
	"platform_id" uuid,
	"content" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integer_ids" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "integer_ids_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"ref" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"platform_id" uuid NOT NULL,
	"pem" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platforms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"course_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"institution_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"jwks_url" text,
	"issuer" text NOT NULL,
	"audience" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment_files" ADD CONSTRAINT "assessment_files_submission_id_assessment_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."assessment_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_grades" ADD CONSTRAINT "assessment_grades_activity_id_assessment_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."assessment_activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_group_members" ADD CONSTRAINT "assessment_group_members_activity_id_assessment_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."assessment_activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_group_members" ADD CONSTRAINT "assessment_group_members_group_id_assessment_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."assessment_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_groups" ADD CONSTRAINT "assessment_groups_activity_id_assessment_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."assessment_activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_reviews" ADD CONSTRAINT "assessment_reviews_activity_id_assessment_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."assessment_activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_reviews" ADD CONSTRAINT "assessment_reviews_submission_id_assessment_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."assessment_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_schedules" ADD CONSTRAINT "assessment_schedules_activity_id_assessment_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."assessment_activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_submissions" ADD CONSTRAINT "assessment_submissions_activity_id_assessment_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."assessment_activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_keys" ADD CONSTRAINT "platform_keys_platform_id_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."platforms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_activities_course_idx" ON "assessment_activities" USING btree ("course_id","id");--> statement-breakpoint
CREATE INDEX "assessment_files_submission_idx" ON "assessment_files" USING btree ("submission_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_groups_name_idx" ON "assessment_groups" USING btree ("activity_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_reviews_pair_idx" ON "assessment_reviews" USING btree ("submission_id","reviewer_id");--> statement-breakpoint
CREATE INDEX "assessment_reviews_reviewer_idx" ON "assessment_reviews" USING btree ("activity_id","reviewer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_schedules_phase_idx" ON "assessment_schedules" USING btree ("activity_id","phase");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_submissions_author_idx" ON "assessment_submissions" USING btree ("activity_id","author_key");--> statement-breakpoint
CREATE INDEX "course_notifications_course_idx" ON "course_notifications" USING btree ("course_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "integer_ids_ref_idx" ON "integer_ids" USING btree ("kind","ref");--> statement-breakpoint
CREATE INDEX "platform_keys_platform_idx" ON "platform_keys" USING btree ("platform_id");