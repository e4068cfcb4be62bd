-- 0008 distribution: sends (batches and recurring relationship sends), each contact's place in a recurring send,
-- and what invitations need for sending: their send and round, the unsubscribe token, the reason for their status.
-- See src/Promoter/Distribution and ADR-009.
ALTER TABLE "invitations" ADD COLUMN "send_id" TEXT NULL;
ALTER TABLE "invitations" ADD COLUMN "occurrence" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "invitations" ADD COLUMN "unsubscribe_token" TEXT NULL;
ALTER TABLE "invitations" ADD COLUMN "status_reason" TEXT NULL;

CREATE TABLE "sends" (
    "id" TEXT NOT NULL CONSTRAINT "pk_sends" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "every_days" INTEGER NULL,
    "active" INTEGER NOT NULL,
    "planned" INTEGER NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "finished_at" TEXT NULL,
    CONSTRAINT "fk_sends_surveys_survey_id" FOREIGN KEY ("survey_id") REFERENCES "surveys" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_sends_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "recurring_enrollments" (
    "send_id" TEXT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "occurrence" INTEGER NOT NULL,
    "next_due_at" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "pk_recurring_enrollments" PRIMARY KEY ("send_id", "contact_id"),
    CONSTRAINT "fk_recurring_enrollments_contacts_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_recurring_enrollments_sends_send_id" FOREIGN KEY ("send_id") REFERENCES "sends" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_invitations_send_id_contact_id_occurrence" ON "invitations" ("send_id", "contact_id", "occurrence") WHERE send_id IS NOT NULL;
CREATE UNIQUE INDEX "ix_invitations_unsubscribe_token" ON "invitations" ("unsubscribe_token");
CREATE INDEX "ix_recurring_enrollments_contact_id" ON "recurring_enrollments" ("contact_id");
CREATE INDEX "ix_recurring_enrollments_next_due_at" ON "recurring_enrollments" ("next_due_at");
CREATE INDEX "ix_sends_kind_active" ON "sends" ("kind", "active");
CREATE INDEX "ix_sends_survey_id" ON "sends" ("survey_id");
CREATE INDEX "ix_sends_workspace_id_created_at" ON "sends" ("workspace_id", "created_at");
