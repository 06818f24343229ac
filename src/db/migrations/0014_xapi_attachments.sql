CREATE TABLE "xapi_attachments" (
	"program_id" text NOT NULL,
	"sha2" text NOT NULL,
	"content_type" text NOT NULL,
	"content" "bytea" NOT NULL,
	"length" integer NOT NULL,
	"stored_at" timestamp with time zone NOT NULL,
	CONSTRAINT "xapi_attachments_program_id_sha2_pk" PRIMARY KEY("program_id","sha2")
);
