-- The hub's built-in Event Store types move to the reserved "hub." namespace (issue 14), so that a program's
-- own "course.completed" never meets a schema it did not choose. Only what the hub itself recorded (program
-- HUB) is renamed, in its current state, its history and the grants that name HUB's types; other programs'
-- events keep the names they chose.
UPDATE "stored_events" SET "event_type" = 'hub.' || "event_type"
  WHERE "program_id" = 'HUB'
    AND "event_type" IN ('course.enrolled', 'course.started', 'course.completed', 'assessment.submitted', 'credential.earned');
--> statement-breakpoint
UPDATE "event_changes" SET "event_type" = 'hub.' || "event_type"
  WHERE "program_id" = 'HUB'
    AND "event_type" IN ('course.enrolled', 'course.started', 'course.completed', 'assessment.submitted', 'credential.earned');
--> statement-breakpoint
UPDATE "event_grants" SET "types" = ARRAY(
    SELECT CASE WHEN t IN ('course.enrolled', 'course.started', 'course.completed', 'assessment.submitted', 'credential.earned')
                THEN 'hub.' || t ELSE t END
      FROM unnest("types") WITH ORDINALITY AS u(t, n) ORDER BY n)
  WHERE "producer_id" = 'HUB' AND "types" IS NOT NULL;
