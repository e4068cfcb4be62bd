-- 0002 collect: surveys, responses (+revisions, link hits), contacts, invitations, idempotency keys.
CREATE TABLE "idempotency_keys" (
    "workspace_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status_code" INTEGER NOT NULL,
    "response_body" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("workspace_id", "key")
);

CREATE TABLE "link_hits" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_link_hits" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "invitation_id" TEXT NOT NULL,
    "score" INTEGER NULL,
    "at" TEXT NOT NULL,
    "seconds_since_delivery" REAL NULL,
    "user_agent_class" TEXT NULL,
    "network_prefix" TEXT NULL,
    "suspected" INTEGER NOT NULL
);

CREATE TABLE "contacts" (
    "id" TEXT NOT NULL CONSTRAINT "pk_contacts" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "email" TEXT NULL,
    "email_key" TEXT NULL,
    "phone" TEXT NULL,
    "name" TEXT NULL,
    "locale" TEXT NULL,
    "time_zone" TEXT NULL,
    "properties" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_contacts_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "surveys" (
    "id" TEXT NOT NULL CONSTRAINT "pk_surveys" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "brand_name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "is_closed" INTEGER NOT NULL,
    "default_language" TEXT NOT NULL,
    "languages" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "throttle_days" INTEGER NULL,
    "reminder_days" INTEGER NULL,
    "edit_window_days" INTEGER NOT NULL,
    "score_capture" TEXT NOT NULL,
    "anonymous" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_surveys_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "invitations" (
    "id" TEXT NOT NULL CONSTRAINT "pk_invitations" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "language" TEXT NULL,
    "properties" TEXT NOT NULL,
    "touchpoint" TEXT NULL,
    "team_member" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "scheduled_at" TEXT NOT NULL,
    "sent_at" TEXT NULL,
    "opened_at" TEXT NULL,
    "clicked_at" TEXT NULL,
    "responded_at" TEXT NULL,
    "reminder_sent_at" TEXT NULL,
    "expires_at" TEXT NULL,
    CONSTRAINT "fk_invitations_contacts_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_invitations_surveys_survey_id" FOREIGN KEY ("survey_id") REFERENCES "surveys" ("id") ON DELETE CASCADE
);

CREATE TABLE "responses" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_responses" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "invitation_id" TEXT NULL,
    "contact_id" TEXT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT NULL,
    "language" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "implicitly_confirmed" INTEGER NOT NULL,
    "submission_id" TEXT NULL,
    "answers" TEXT NULL,
    "properties" TEXT NULL,
    "team_member" TEXT NULL,
    "touchpoint" TEXT NULL,
    "network_prefix" TEXT NULL,
    "responded_at" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    CONSTRAINT "ck_responses_score" CHECK (score BETWEEN 0 AND 10),
    CONSTRAINT "fk_responses_surveys_survey_id" FOREIGN KEY ("survey_id") REFERENCES "surveys" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_responses_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "response_revisions" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_response_revisions" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "response_id" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT NULL,
    "answers" TEXT NULL,
    "recorded_at" TEXT NOT NULL,
    CONSTRAINT "fk_response_revisions_responses_response_id" FOREIGN KEY ("response_id") REFERENCES "responses" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_contacts_workspace_id_email_key" ON "contacts" ("workspace_id", "email_key");

CREATE UNIQUE INDEX "ix_contacts_workspace_id_phone" ON "contacts" ("workspace_id", "phone");

CREATE INDEX "ix_idempotency_keys_created_at" ON "idempotency_keys" ("created_at");

CREATE INDEX "ix_invitations_contact_id" ON "invitations" ("contact_id");

CREATE INDEX "ix_invitations_status_scheduled_at" ON "invitations" ("status", "scheduled_at");

CREATE INDEX "ix_invitations_survey_id" ON "invitations" ("survey_id");

CREATE UNIQUE INDEX "ix_invitations_token" ON "invitations" ("token");

CREATE INDEX "ix_invitations_workspace_id_contact_id_created_at" ON "invitations" ("workspace_id", "contact_id", "created_at");

CREATE INDEX "ix_link_hits_invitation_id_at" ON "link_hits" ("invitation_id", "at");

CREATE UNIQUE INDEX "ix_response_revisions_response_id_revision" ON "response_revisions" ("response_id", "revision");

CREATE INDEX "ix_responses_contact_id_responded_at" ON "responses" ("contact_id", "responded_at") WHERE contact_id IS NOT NULL;

CREATE UNIQUE INDEX "ix_responses_invitation_id" ON "responses" ("invitation_id") WHERE invitation_id IS NOT NULL;

CREATE UNIQUE INDEX "ix_responses_survey_id_submission_id" ON "responses" ("survey_id", "submission_id") WHERE submission_id IS NOT NULL;

CREATE INDEX "ix_responses_workspace_id_survey_id" ON "responses" ("workspace_id", "survey_id");

CREATE INDEX "ix_responses_workspace_id_updated_at" ON "responses" ("workspace_id", "updated_at");

CREATE INDEX "ix_surveys_workspace_id_name" ON "surveys" ("workspace_id", "name");

