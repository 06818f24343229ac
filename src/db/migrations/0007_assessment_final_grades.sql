ALTER TABLE "assessment_activities" ADD COLUMN "badge_ref" text;--> statement-breakpoint
ALTER TABLE "assessment_activities" ADD COLUMN "badge_min_grade" real;--> statement-breakpoint
ALTER TABLE "assessment_activities" ADD COLUMN "badge_set_by" uuid;--> statement-breakpoint
ALTER TABLE "assessment_grades" ADD COLUMN "final_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_grades" ADD COLUMN "final_overall" real;--> statement-breakpoint
ALTER TABLE "assessment_grades" ADD COLUMN "final_at" timestamp with time zone;