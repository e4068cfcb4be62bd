-- 0011 understand: the text index (terms per response, term counts per day and month kept like the score rollups) and themes.
-- The indexer (Understand/TextIndexer) tokenises comments after they are stored; triggers only queue the work.

CREATE TABLE "text_queue" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_text_queue" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "response_id" INTEGER NOT NULL,
    "queued_at" TEXT NOT NULL
);

CREATE TABLE "indexed_responses" (
    "response_id" INTEGER NOT NULL CONSTRAINT "pk_indexed_responses" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "responded_at" TEXT NOT NULL,
    "comment_length" INTEGER NOT NULL,
    CONSTRAINT "fk_indexed_responses_surveys_survey_id" FOREIGN KEY ("survey_id") REFERENCES "surveys" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_indexed_responses_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "terms" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_terms" PRIMARY KEY AUTOINCREMENT,
    "workspace_id" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "words" INTEGER NOT NULL,
    CONSTRAINT "fk_terms_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "term_forms" (
    "term_id" INTEGER NOT NULL,
    "surface" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    CONSTRAINT "pk_term_forms" PRIMARY KEY ("term_id", "surface"),
    CONSTRAINT "fk_term_forms_terms_term_id" FOREIGN KEY ("term_id") REFERENCES "terms" ("id") ON DELETE CASCADE
);

CREATE TABLE "response_terms" (
    "response_id" INTEGER NOT NULL,
    "term_id" INTEGER NOT NULL,
    CONSTRAINT "pk_response_terms" PRIMARY KEY ("response_id", "term_id"),
    CONSTRAINT "fk_response_terms_indexed_responses_response_id" FOREIGN KEY ("response_id") REFERENCES "indexed_responses" ("response_id") ON DELETE CASCADE,
    CONSTRAINT "fk_response_terms_terms_term_id" FOREIGN KEY ("term_id") REFERENCES "terms" ("id") ON DELETE CASCADE
);

CREATE TABLE "term_rollups" (
    "workspace_id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "monthly" INTEGER NOT NULL,
    "day" INTEGER NOT NULL,
    "term_id" INTEGER NOT NULL,
    "language" TEXT NOT NULL,
    "detractors" INTEGER NOT NULL,
    "passives" INTEGER NOT NULL,
    "promoters" INTEGER NOT NULL,
    CONSTRAINT "pk_term_rollups" PRIMARY KEY ("workspace_id", "survey_id", "monthly", "day", "term_id"),
    CONSTRAINT "fk_term_rollups_surveys_survey_id" FOREIGN KEY ("survey_id") REFERENCES "surveys" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_term_rollups_terms_term_id" FOREIGN KEY ("term_id") REFERENCES "terms" ("id") ON DELETE CASCADE
);

CREATE TABLE "themes" (
    "id" TEXT NOT NULL CONSTRAINT "pk_themes" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_themes_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "theme_terms" (
    "theme_id" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "phrase" TEXT NOT NULL,
    CONSTRAINT "pk_theme_terms" PRIMARY KEY ("theme_id", "language", "key"),
    CONSTRAINT "fk_theme_terms_themes_theme_id" FOREIGN KEY ("theme_id") REFERENCES "themes" ("id") ON DELETE CASCADE
);

CREATE TABLE "response_themes" (
    "response_id" INTEGER NOT NULL,
    "theme_id" TEXT NOT NULL,
    CONSTRAINT "pk_response_themes" PRIMARY KEY ("response_id", "theme_id"),
    CONSTRAINT "fk_response_themes_indexed_responses_response_id" FOREIGN KEY ("response_id") REFERENCES "indexed_responses" ("response_id") ON DELETE CASCADE,
    CONSTRAINT "fk_response_themes_themes_theme_id" FOREIGN KEY ("theme_id") REFERENCES "themes" ("id") ON DELETE CASCADE
);

CREATE TABLE "theme_jobs" (
    "id" TEXT NOT NULL CONSTRAINT "pk_theme_jobs" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL,
    "cursor" INTEGER NOT NULL,
    "chunks" INTEGER NOT NULL,
    "lease_owner" TEXT NULL,
    "lease_until" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "finished_at" TEXT NULL,
    CONSTRAINT "fk_theme_jobs_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_indexed_responses_survey_id" ON "indexed_responses" ("survey_id");

CREATE INDEX "ix_indexed_responses_workspace_id_response_id" ON "indexed_responses" ("workspace_id", "response_id");

CREATE INDEX "ix_indexed_responses_workspace_id_survey_id_responded_at" ON "indexed_responses" ("workspace_id", "survey_id", "responded_at");

CREATE INDEX "ix_response_terms_term_id_response_id" ON "response_terms" ("term_id", "response_id");

CREATE INDEX "ix_response_themes_theme_id_response_id" ON "response_themes" ("theme_id", "response_id");

CREATE INDEX "ix_term_rollups_survey_id" ON "term_rollups" ("survey_id");

CREATE INDEX "ix_term_rollups_term_id" ON "term_rollups" ("term_id");

CREATE UNIQUE INDEX "ix_terms_workspace_id_language_key" ON "terms" ("workspace_id", "language", "key");

CREATE INDEX "ix_text_queue_workspace_id_id" ON "text_queue" ("workspace_id", "id");

CREATE INDEX "ix_theme_jobs_status_created_at" ON "theme_jobs" ("status", "created_at");

CREATE INDEX "ix_theme_jobs_workspace_id" ON "theme_jobs" ("workspace_id");

CREATE UNIQUE INDEX "ix_themes_workspace_id_name" ON "themes" ("workspace_id", "name");

-- Every write path queues a final response with a comment when it is stored, and any response whose comment, score,
-- status, language, time or survey changed; a deleted response that was counted queues a tombstone. Imports (holding a
-- rollup suspension) queue their rows themselves when they commit.
CREATE TRIGGER trg_responses_text_insert AFTER INSERT ON responses
WHEN NEW.status = 'Final' AND NEW.comment IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rollup_suspensions)
BEGIN
    INSERT INTO text_queue (workspace_id, response_id, queued_at) VALUES (NEW.workspace_id, NEW.id, NEW.created_at);
END;

CREATE TRIGGER trg_responses_text_update AFTER UPDATE OF comment, score, status, language, responded_at, survey_id ON responses
WHEN (OLD.comment IS NOT NULL OR NEW.comment IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM rollup_suspensions)
  AND (OLD.comment IS NOT NEW.comment OR OLD.score <> NEW.score OR OLD.status <> NEW.status OR OLD.language <> NEW.language
       OR OLD.responded_at <> NEW.responded_at OR OLD.survey_id <> NEW.survey_id)
BEGIN
    INSERT INTO text_queue (workspace_id, response_id, queued_at) VALUES (NEW.workspace_id, NEW.id, NEW.updated_at);
END;

CREATE TRIGGER trg_responses_text_delete AFTER DELETE ON responses
WHEN EXISTS (SELECT 1 FROM indexed_responses WHERE response_id = OLD.id)
BEGIN
    INSERT INTO text_queue (workspace_id, response_id, queued_at) VALUES (OLD.workspace_id, OLD.id, OLD.updated_at);
END;

-- Alert rules may ask for a theme ("the comment has theme Delivery"); no foreign key: a deleted theme matches nothing.
ALTER TABLE "alert_rules" ADD COLUMN "theme_id" TEXT NULL;
