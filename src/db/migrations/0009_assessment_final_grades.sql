ALTER TABLE "assessment_grades" ADD COLUMN "final_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_grades" ADD COLUMN "final_overall" real;--> statement-breakpoint
ALTER TABLE "assessment_grades" ADD COLUMN "final_at" timestamp with time zone;