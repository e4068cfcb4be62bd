-- 0005 webhooks: endpoints, events (the outbox), deliveries and their attempts, and the triggers that write events in the
-- same transaction as the change. See docs/decisions/ADR-006-webhooks.md.
CREATE TABLE "webhook_endpoints" (
    "id" TEXT NOT NULL CONSTRAINT "pk_webhook_endpoints" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NULL,
    "enabled" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "event_types" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "previous_secret" TEXT NULL,
    "previous_secret_expires_at" TEXT NULL,
    "disabled_reason" TEXT NULL,
    "disabled_at" TEXT NULL,
    "failing_since" TEXT NULL,
    "last_success_at" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_webhook_endpoints_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "webhook_events" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_webhook_events" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "resource_type" TEXT NOT NULL,
    "resource_id" TEXT NOT NULL,
    "revision" INTEGER NULL,
    "payload" TEXT NULL,
    "occurred_at" TEXT NOT NULL,
    CONSTRAINT "fk_webhook_events_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "webhook_deliveries" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_webhook_deliveries" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "event_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "lease_owner" TEXT NULL,
    "lease_until" TEXT NULL,
    "body" TEXT NULL,
    "last_status_code" INTEGER NULL,
    "last_error" TEXT NULL,
    "last_attempt_at" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "completed_at" TEXT NULL,
    "replay_of" INTEGER NULL,
    CONSTRAINT "fk_webhook_deliveries_webhook_endpoints_endpoint_id" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_webhook_deliveries_webhook_events_event_id" FOREIGN KEY ("event_id") REFERENCES "webhook_events" ("id") ON DELETE CASCADE
);

CREATE TABLE "webhook_attempts" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_webhook_attempts" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "delivery_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "attempted_at" TEXT NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "status_code" INTEGER NULL,
    "succeeded" INTEGER NOT NULL,
    "error" TEXT NULL,
    "response_body" TEXT NULL,
    CONSTRAINT "fk_webhook_attempts_webhook_deliveries_delivery_id" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_webhook_attempts_delivery_id_number" ON "webhook_attempts" ("delivery_id", "number");

CREATE INDEX "ix_webhook_deliveries_endpoint_id_id" ON "webhook_deliveries" ("endpoint_id", "id");

CREATE INDEX "ix_webhook_deliveries_event_id" ON "webhook_deliveries" ("event_id");

CREATE INDEX "ix_webhook_deliveries_status_next_attempt_at" ON "webhook_deliveries" ("status", "next_attempt_at");

CREATE INDEX "ix_webhook_endpoints_workspace_id_created_at" ON "webhook_endpoints" ("workspace_id", "created_at");

CREATE UNIQUE INDEX "ix_webhook_events_message_id" ON "webhook_events" ("message_id");

CREATE INDEX "ix_webhook_events_occurred_at" ON "webhook_events" ("occurred_at");

CREATE INDEX "ix_webhook_events_workspace_id_resource_type_resource_id" ON "webhook_events" ("workspace_id", "resource_type", "resource_id");

-- Responses have several write paths (the group-commit writer's raw SQL, the respondent pages, imports, the finalizer),
-- so the database itself records their events: only final responses count, and a provisional score that becomes final
-- is a new response. Events are written only while the workspace has an enabled endpoint for response events, which keeps
-- intake free of webhook work otherwise. A bulk import of history (which holds a row in rollup_suspensions) emits none.
CREATE TRIGGER trg_responses_webhook_insert AFTER INSERT ON responses
WHEN NEW.status = 'Final' AND NOT EXISTS (SELECT 1 FROM rollup_suspensions)
  AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.workspace_id = NEW.workspace_id AND e.enabled AND instr(e.event_types, ',response.') > 0)
BEGIN
    INSERT INTO webhook_events (workspace_id, message_id, type, resource_type, resource_id, revision, payload, occurred_at)
    VALUES (NEW.workspace_id, 'msg_' || lower(hex(randomblob(16))), 'response.created', 'response', CAST(NEW.id AS TEXT), NEW.revision, NULL, NEW.created_at);
END;

CREATE TRIGGER trg_responses_webhook_update AFTER UPDATE OF score, comment, answers, status ON responses
WHEN NEW.status = 'Final' AND NOT EXISTS (SELECT 1 FROM rollup_suspensions)
  AND (OLD.status <> 'Final' OR OLD.score IS NOT NEW.score OR OLD.comment IS NOT NEW.comment OR OLD.answers IS NOT NEW.answers)
  AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.workspace_id = NEW.workspace_id AND e.enabled AND instr(e.event_types, ',response.') > 0)
BEGIN
    INSERT INTO webhook_events (workspace_id, message_id, type, resource_type, resource_id, revision, payload, occurred_at)
    VALUES (NEW.workspace_id, 'msg_' || lower(hex(randomblob(16))), CASE WHEN OLD.status = 'Final' THEN 'response.updated' ELSE 'response.created' END,
            'response', CAST(NEW.id AS TEXT), NEW.revision, NULL, NEW.updated_at);
END;

-- Erasing a response erases what webhooks kept about it: its events, and with them the delivery bodies and logs.
CREATE TRIGGER trg_responses_webhook_delete AFTER DELETE ON responses
BEGIN
    DELETE FROM webhook_events WHERE workspace_id = OLD.workspace_id AND resource_type = 'response' AND resource_id = CAST(OLD.id AS TEXT);
END;

-- Every event, from a trigger or from application code, gets one delivery per enabled endpoint subscribed to its type,
-- in the transaction that wrote it. event_types is stored as ",a,b," so one string search matches a whole type.
CREATE TRIGGER trg_webhook_events_fan_out AFTER INSERT ON webhook_events
BEGIN
    INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
    SELECT NEW.workspace_id, e.id, NEW.id, 'Pending', 0, NEW.occurred_at, NEW.occurred_at
    FROM webhook_endpoints e
    WHERE e.workspace_id = NEW.workspace_id AND e.enabled AND instr(e.event_types, ',' || NEW.type || ',') > 0;
END;
