-- xAPI statements are Event Store events (stored_events + event_changes, program-prefixed ids); these tables
-- index them for the xAPI queries. Partitioned by the `stored` time (monthly ranges, a DEFAULT partition for
-- anything outside the prepared months), so retention drops whole partitions and each index stays small.
-- Every primary key and index leads with program_id: the Citus distribution column (docs/operations.md).
CREATE SEQUENCE "xapi_statement_seq";--> statement-breakpoint
CREATE TABLE "xapi_statements" (
	"program_id" text NOT NULL,
	"statement_id" uuid NOT NULL,
	"stored" timestamp with time zone NOT NULL,
	"seq" bigint DEFAULT nextval('xapi_statement_seq') NOT NULL,
	"event_id" text NOT NULL,
	"verb_id" text NOT NULL,
	"registration" uuid,
	"voiding" boolean DEFAULT false NOT NULL,
	"voids" uuid,
	"voided" boolean DEFAULT false NOT NULL,
	PRIMARY KEY ("program_id", "statement_id", "stored")
) PARTITION BY RANGE ("stored");--> statement-breakpoint
CREATE INDEX "xapi_statements_stored_idx" ON "xapi_statements" ("program_id", "stored", "seq");--> statement-breakpoint
CREATE INDEX "xapi_statements_verb_idx" ON "xapi_statements" ("program_id", "verb_id", "stored", "seq");--> statement-breakpoint
CREATE INDEX "xapi_statements_registration_idx" ON "xapi_statements" ("program_id", "registration", "stored", "seq") WHERE "registration" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "xapi_statements_voids_idx" ON "xapi_statements" ("program_id", "voids") WHERE "voids" IS NOT NULL;--> statement-breakpoint
-- One row per (statement, agent or activity it names): kind 'a' an agent that is the actor or object, 'A'
-- every agent it names (related_agents), 'o' the object activity, 'O' every activity (related_activities).
CREATE TABLE "xapi_statement_refs" (
	"program_id" text NOT NULL,
	"kind" "char" NOT NULL,
	"key" text NOT NULL,
	"verb_id" text NOT NULL,
	"stored" timestamp with time zone NOT NULL,
	"seq" bigint NOT NULL,
	"statement_id" uuid NOT NULL
) PARTITION BY RANGE ("stored");--> statement-breakpoint
CREATE INDEX "xapi_statement_refs_key_idx" ON "xapi_statement_refs" ("program_id", "kind", "key", "stored", "seq");--> statement-breakpoint
CREATE INDEX "xapi_statement_refs_key_verb_idx" ON "xapi_statement_refs" ("program_id", "kind", "key", "verb_id", "stored", "seq");--> statement-breakpoint
CREATE TABLE "xapi_statements_default" PARTITION OF "xapi_statements" DEFAULT;--> statement-breakpoint
CREATE TABLE "xapi_statement_refs_default" PARTITION OF "xapi_statement_refs" DEFAULT;--> statement-breakpoint
-- The Activities resource: the merged definition of each activity a program's statements named.
CREATE TABLE "xapi_activities" (
	"program_id" text NOT NULL,
	"activity_id" text NOT NULL,
	"definition" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	PRIMARY KEY ("program_id", "activity_id")
);--> statement-breakpoint
-- Creates the monthly partitions of both tables from `first` for `months` months (existing ones are kept).
-- The worker runs it daily for the coming months; a statement stored outside them lands in DEFAULT.
CREATE FUNCTION "xapi_ensure_partitions"(first date, months int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	m date;
	t text;
BEGIN
	FOR i IN 0 .. months - 1 LOOP
		m := (date_trunc('month', first) + make_interval(months => i))::date;
		FOREACH t IN ARRAY ARRAY['xapi_statements', 'xapi_statement_refs'] LOOP
			IF to_regclass(format('%I', t || '_' || to_char(m, 'YYYYMM'))) IS NULL THEN
				EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
					t || '_' || to_char(m, 'YYYYMM'), t, m, (m + interval '1 month')::date);
			END IF;
		END LOOP;
	END LOOP;
END $$;--> statement-breakpoint
SELECT "xapi_ensure_partitions"((now() - interval '1 month')::date, 4);
