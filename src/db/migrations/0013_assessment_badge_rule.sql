CREATE TABLE "assessment_badge_awards" (
	"activity_id" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"badge_id" integer NOT NULL,
	"assertion_id" text,
	"event_id" text NOT NULL,
	"awarded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "assessment_badge_awards_activity_id_user_id_pk" PRIMARY KEY("activity_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_badge_rules" (
	"activity_id" integer PRIMARY KEY NOT NULL,
	"badge_id" integer NOT NULL,
	"min_grade" real,
	"set_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment_badge_awards" ADD CONSTRAINT "assessment_badge_awards_activity_id_assessment_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."assessment_activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_badge_rules" ADD CONSTRAINT "assessment_badge_rules_activity_id_assessment_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."assessment_activities"("id") ON DELETE cascade ON UPDATE no action;