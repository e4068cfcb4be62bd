-- 0001 foundation: workspaces, users, memberships, API keys, audit log.
CREATE TABLE "users" (
    "id" TEXT NOT NULL CONSTRAINT "pk_users" PRIMARY KEY,
    "email" TEXT NOT NULL,
    "normalized_email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "security_stamp" TEXT NOT NULL,
    "failed_sign_ins" INTEGER NOT NULL,
    "locked_until" TEXT NULL,
    "created_at" TEXT NOT NULL
);

CREATE TABLE "workspaces" (
    "id" TEXT NOT NULL CONSTRAINT "pk_workspaces" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "throttle_days" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL
);

CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL CONSTRAINT "pk_api_keys" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" BLOB NOT NULL,
    "scopes" TEXT NOT NULL,
    "created_by_user_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "last_used_at" TEXT NULL,
    "expires_at" TEXT NULL,
    "revoked_at" TEXT NULL,
    CONSTRAINT "fk_api_keys_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "audit_entries" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_audit_entries" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "details" TEXT NULL,
    CONSTRAINT "fk_audit_entries_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "memberships" (
    "id" TEXT NOT NULL CONSTRAINT "pk_memberships" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_memberships_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_memberships_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "ix_api_keys_prefix" ON "api_keys" ("prefix");

CREATE INDEX "ix_api_keys_workspace_id" ON "api_keys" ("workspace_id");

CREATE INDEX "ix_audit_entries_workspace_id_at" ON "audit_entries" ("workspace_id", "at");

CREATE INDEX "ix_memberships_user_id" ON "memberships" ("user_id");

CREATE UNIQUE INDEX "ix_memberships_workspace_id_user_id" ON "memberships" ("workspace_id", "user_id");

CREATE UNIQUE INDEX "ix_users_normalized_email" ON "users" ("normalized_email");

CREATE UNIQUE INDEX "ix_workspaces_name" ON "workspaces" ("name");

