-- 0006 email: the mail outbox every feature queues into, the suppression list checked at send time, and the
-- workspace's sender identity. See src/Promoter/Platform/Email.
ALTER TABLE "workspaces" ADD COLUMN "sender_name" TEXT NULL;
ALTER TABLE "workspaces" ADD COLUMN "reply_to_email" TEXT NULL;

CREATE TABLE "outbound_emails" (
    "id" TEXT NOT NULL CONSTRAINT "pk_outbound_emails" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dedupe_key" TEXT NULL,
    "to_address" TEXT NOT NULL,
    "to_name" TEXT NULL,
    "reply_to" TEXT NULL,
    "subject" TEXT NULL,
    "html_body" TEXT NULL,
    "text_body" TEXT NULL,
    "headers" TEXT NULL,
    "related_id" TEXT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL,
    "lease_owner" TEXT NULL,
    "lease_until" TEXT NULL,
    "last_attempt_at" TEXT NULL,
    "last_reply_code" INTEGER NULL,
    "last_error" TEXT NULL,
    "sent_at" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "completed_at" TEXT NULL,
    CONSTRAINT "fk_outbound_emails_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "email_suppressions" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_email_suppressions" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "email_key" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_email_suppressions_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_outbound_emails_status_next_attempt_at" ON "outbound_emails" ("status", "next_attempt_at");
CREATE UNIQUE INDEX "ix_outbound_emails_workspace_id_dedupe_key" ON "outbound_emails" ("workspace_id", "dedupe_key");
CREATE INDEX "ix_outbound_emails_workspace_id_related_id" ON "outbound_emails" ("workspace_id", "related_id");
CREATE UNIQUE INDEX "ix_email_suppressions_workspace_id_email_key_reason" ON "email_suppressions" ("workspace_id", "email_key", "reason");
CREATE INDEX "ix_email_suppressions_workspace_id_reason_created_at" ON "email_suppressions" ("workspace_id", "reason", "created_at");
