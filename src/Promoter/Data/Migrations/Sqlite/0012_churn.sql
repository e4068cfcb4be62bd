-- 0012 churn: churn events (API, CSV, Delighted churned_at), each contact's current risk and its history, the nightly
-- rescoring runs (one row per workspace and night: the lease that makes it run once with several nodes) and the model card.
-- See src/Promoter/Churn and ADR-016.

CREATE TABLE "churn_models" (
    "workspace_id" TEXT NOT NULL CONSTRAINT "pk_churn_models" PRIMARY KEY,
    "status" TEXT NOT NULL,
    "card" TEXT NOT NULL,
    "model" TEXT NULL,
    "fitted_at" TEXT NOT NULL,
    CONSTRAINT "fk_churn_models_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "churn_runs" (
    "id" TEXT NOT NULL CONSTRAINT "pk_churn_runs" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "night" TEXT NOT NULL,
    "cursor" TEXT NULL,
    "done" INTEGER NOT NULL,
    "lease_owner" TEXT NULL,
    "lease_until" TEXT NULL,
    "started_at" TEXT NOT NULL,
    "finished_at" TEXT NULL,
    CONSTRAINT "fk_churn_runs_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "churn_events" (
    "id" TEXT NOT NULL CONSTRAINT "pk_churn_events" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "contact_id" TEXT NULL,
    "account" TEXT NULL,
    "occurred_at" TEXT NOT NULL,
    "reason" TEXT NULL,
    "revenue" REAL NULL,
    "external_key" TEXT NULL,
    "dedupe_key" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_churn_events_contacts_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_churn_events_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "contact_risk" (
    "contact_id" TEXT NOT NULL CONSTRAINT "pk_contact_risk" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "reasons" TEXT NOT NULL,
    "action" TEXT NULL,
    "model_kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "account" TEXT NULL,
    "owner_user_id" TEXT NULL,
    "has_unassigned_case" INTEGER NOT NULL,
    "computed_at" TEXT NOT NULL,
    "changed_at" TEXT NOT NULL,
    CONSTRAINT "fk_contact_risk_contacts_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_contact_risk_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "contact_risk_history" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_contact_risk_history" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "action" TEXT NULL,
    "model_kind" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    CONSTRAINT "fk_contact_risk_history_contacts_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_contact_risk_history_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_churn_events_contact_id" ON "churn_events" ("contact_id");

CREATE INDEX "ix_churn_events_workspace_id_account" ON "churn_events" ("workspace_id", "account");

CREATE UNIQUE INDEX "ix_churn_events_workspace_id_dedupe_key" ON "churn_events" ("workspace_id", "dedupe_key");

CREATE INDEX "ix_churn_runs_finished_at_lease_until" ON "churn_runs" ("finished_at", "lease_until");

CREATE UNIQUE INDEX "ix_churn_runs_workspace_id_night" ON "churn_runs" ("workspace_id", "night");

CREATE INDEX "ix_contact_risk_workspace_id_score_contact_id" ON "contact_risk" ("workspace_id", "score", "contact_id");

CREATE INDEX "ix_contact_risk_history_contact_id_at" ON "contact_risk_history" ("contact_id", "at");

CREATE INDEX "ix_contact_risk_history_workspace_id" ON "contact_risk_history" ("workspace_id");

-- Alert rules: "the response raised its contact's churn risk from at most X to above it".
ALTER TABLE "alert_rules" ADD "risk_above" INTEGER NULL;
