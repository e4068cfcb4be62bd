-- 0007 contacts: the durable job row of a one-off batch send (issue 5, 4a). See src/Promoter/Distribution/Batches
-- and ADR-008. No foreign key to "sends" (created by 0008, which runs after this on a new database); the job shares
-- the send's id and goes with its workspace or survey.
CREATE TABLE "batch_jobs" (
    "id" TEXT NOT NULL CONSTRAINT "pk_batch_jobs" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "send_id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "filter" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "planned" INTEGER NOT NULL,
    "queued" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "last_contact_id" TEXT NULL,
    "lease_owner" TEXT NULL,
    "lease_until" TEXT NULL,
    "error" TEXT NULL,
    "requested_by" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "finished_at" TEXT NULL,
    CONSTRAINT "fk_batch_jobs_surveys_survey_id" FOREIGN KEY ("survey_id") REFERENCES "surveys" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_batch_jobs_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_batch_jobs_status_lease_until" ON "batch_jobs" ("status", "lease_until");
CREATE INDEX "ix_batch_jobs_workspace_id_created_at" ON "batch_jobs" ("workspace_id", "created_at");
CREATE INDEX "ix_batch_jobs_survey_id" ON "batch_jobs" ("survey_id");
