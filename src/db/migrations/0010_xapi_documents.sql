CREATE TABLE "xapi_documents" (
	"scope" text NOT NULL,
	"kind" text NOT NULL,
	"activity_id" text NOT NULL,
	"agent" text NOT NULL,
	"registration" text NOT NULL,
	"document_id" text NOT NULL,
	"content_type" text NOT NULL,
	"content" "bytea" NOT NULL,
	"sha1" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "xapi_documents_scope_kind_activity_id_agent_registration_document_id_pk" PRIMARY KEY("scope","kind","activity_id","agent","registration","document_id")
);
--> statement-breakpoint
CREATE INDEX "xapi_documents_since_idx" ON "xapi_documents" USING btree ("scope","kind","activity_id","agent","registration","updated_at");