-- 0009 loop: follow-up cases with their history, the workspace's follow-up policy, alert rules with their posts and
-- digest entries, and the queue that hands every new final response to the loop worker. See src/Promoter/Loop.
CREATE TABLE "alert_rules" (
    "id" TEXT NOT NULL CONSTRAINT "pk_alert_rules" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" INTEGER NOT NULL,
    "categories" TEXT NOT NULL,
    "min_score" INTEGER NULL,
    "max_score" INTEGER NULL,
    "keywords" TEXT NOT NULL,
    "survey_id" TEXT NULL,
    "property_key" TEXT NULL,
    "property_value" TEXT NULL,
    "team_member" TEXT NULL,
    "email_case_owner" INTEGER NOT NULL,
    "email_user_ids" TEXT NOT NULL,
    "email_addresses" TEXT NOT NULL,
    "webhook_url" TEXT NULL,
    "webhook_format" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "last_digest_at" TEXT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_alert_rules_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "loop_settings" (
    "workspace_id" TEXT NOT NULL CONSTRAINT "pk_loop_settings" PRIMARY KEY,
    "detractor_sla_hours" INTEGER NOT NULL,
    "passive_sla_hours" INTEGER NULL,
    "passives_need_comment" INTEGER NOT NULL,
    "owner_rules" TEXT NOT NULL,
    "account_owner_property" TEXT NOT NULL,
    "round_robin_user_ids" TEXT NOT NULL,
    "round_robin_next" INTEGER NOT NULL,
    "fallback_user_id" TEXT NULL,
    "escalation_user_ids" TEXT NOT NULL,
    "root_causes" TEXT NOT NULL,
    CONSTRAINT "fk_loop_settings_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "alert_posts" (
    "id" TEXT NOT NULL CONSTRAINT "pk_alert_posts" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "response_id" INTEGER NULL,
    "url" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "last_status_code" INTEGER NULL,
    "last_error" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "sent_at" TEXT NULL,
    CONSTRAINT "fk_alert_posts_alert_rules_rule_id" FOREIGN KEY ("rule_id") REFERENCES "alert_rules" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_alert_posts_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "alert_digest_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_alert_digest_items" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "response_id" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_alert_digest_items_alert_rules_rule_id" FOREIGN KEY ("rule_id") REFERENCES "alert_rules" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_alert_digest_items_responses_response_id" FOREIGN KEY ("response_id") REFERENCES "responses" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_alert_digest_items_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "cases" (
    "id" TEXT NOT NULL CONSTRAINT "pk_cases" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "response_id" INTEGER NOT NULL,
    "survey_id" TEXT NOT NULL,
    "contact_id" TEXT NULL,
    "score" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "owner_user_id" TEXT NULL,
    "status" TEXT NOT NULL,
    "tags" TEXT NOT NULL,
    "root_cause" TEXT NULL,
    "responded_at" TEXT NOT NULL,
    "due_at" TEXT NULL,
    "first_contacted_at" TEXT NULL,
    "resolved_at" TEXT NULL,
    "closed_at" TEXT NULL,
    "escalated_at" TEXT NULL,
    "reply_token" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_cases_responses_response_id" FOREIGN KEY ("response_id") REFERENCES "responses" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_cases_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "loop_queue" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_loop_queue" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "response_id" INTEGER NOT NULL,
    "queued_at" TEXT NOT NULL,
    CONSTRAINT "fk_loop_queue_responses_response_id" FOREIGN KEY ("response_id") REFERENCES "responses" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_loop_queue_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "case_activities" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_case_activities" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "body" TEXT NULL,
    CONSTRAINT "fk_case_activities_cases_case_id" FOREIGN KEY ("case_id") REFERENCES "cases" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_alert_digest_items_response_id" ON "alert_digest_items" ("response_id");

CREATE UNIQUE INDEX "ix_alert_digest_items_rule_id_response_id" ON "alert_digest_items" ("rule_id", "response_id");

CREATE INDEX "ix_alert_digest_items_workspace_id" ON "alert_digest_items" ("workspace_id");

CREATE UNIQUE INDEX "ix_alert_posts_rule_id_response_id" ON "alert_posts" ("rule_id", "response_id") WHERE response_id IS NOT NULL;

CREATE INDEX "ix_alert_posts_status_next_attempt_at" ON "alert_posts" ("status", "next_attempt_at");

CREATE INDEX "ix_alert_posts_workspace_id" ON "alert_posts" ("workspace_id");

CREATE INDEX "ix_alert_rules_workspace_id" ON "alert_rules" ("workspace_id");

CREATE INDEX "ix_case_activities_case_id_at" ON "case_activities" ("case_id", "at");

CREATE UNIQUE INDEX "ix_cases_reply_token" ON "cases" ("reply_token");

CREATE UNIQUE INDEX "ix_cases_response_id" ON "cases" ("response_id");

CREATE INDEX "ix_cases_workspace_id_contact_id" ON "cases" ("workspace_id", "contact_id");

CREATE INDEX "ix_cases_workspace_id_owner_user_id_status" ON "cases" ("workspace_id", "owner_user_id", "status");

CREATE INDEX "ix_cases_workspace_id_status_due_at" ON "cases" ("workspace_id", "status", "due_at");

CREATE INDEX "ix_loop_queue_response_id" ON "loop_queue" ("response_id");

CREATE INDEX "ix_loop_queue_workspace_id" ON "loop_queue" ("workspace_id");

-- Every write path (the group-commit writer, the respondent pages, the finalizer that confirms provisional scores)
-- queues a response that became final, or whose score or comment changed, in its own transaction; the loop worker
-- opens the case and queues the alerts. A bulk import of history (holding a row in rollup_suspensions) and rows with the
-- import channel queue nothing: history must not open cases or page anyone.
CREATE TRIGGER trg_responses_loop_insert AFTER INSERT ON responses
WHEN NEW.status = 'Final' AND NEW.channel <> 'import' AND NOT EXISTS (SELECT 1 FROM rollup_suspensions)
BEGIN
    INSERT INTO loop_queue (workspace_id, response_id, queued_at) VALUES (NEW.workspace_id, NEW.id, NEW.created_at);
END;

CREATE TRIGGER trg_responses_loop_update AFTER UPDATE OF score, comment, status ON responses
WHEN NEW.status = 'Final' AND NEW.channel <> 'import' AND NOT EXISTS (SELECT 1 FROM rollup_suspensions)
  AND (OLD.status <> 'Final' OR OLD.score <> NEW.score OR OLD.comment IS NOT NEW.comment)
BEGIN
    INSERT INTO loop_queue (workspace_id, response_id, queued_at) VALUES (NEW.workspace_id, NEW.id, NEW.updated_at);
END;
