-- 0003 metrics: score-count rollups kept by triggers on responses, declared segments, time-zone offsets for local days, benchmarks and survey targets.
CREATE TABLE "rollup_suspensions" (
    "token" TEXT NOT NULL CONSTRAINT "pk_rollup_suspensions" PRIMARY KEY
);

CREATE TABLE "rollups" (
    "workspace_id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "dim" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "day" INTEGER NOT NULL,
    "d0" INTEGER NOT NULL,
    "d1" INTEGER NOT NULL,
    "d2" INTEGER NOT NULL,
    "d3" INTEGER NOT NULL,
    "d4" INTEGER NOT NULL,
    "d5" INTEGER NOT NULL,
    "d6" INTEGER NOT NULL,
    "d7" INTEGER NOT NULL,
    "d8" INTEGER NOT NULL,
    "d9" INTEGER NOT NULL,
    "d10" INTEGER NOT NULL,
    CONSTRAINT "pk_rollups" PRIMARY KEY ("workspace_id", "survey_id", "dim", "value", "day")
);

CREATE TABLE "tz_offsets" (
    "workspace_id" TEXT NOT NULL,
    "from_unix" INTEGER NOT NULL,
    "offset_seconds" INTEGER NOT NULL,
    CONSTRAINT "pk_tz_offsets" PRIMARY KEY ("workspace_id", "from_unix")
);

CREATE TABLE "benchmarks" (
    "id" TEXT NOT NULL CONSTRAINT "pk_benchmarks" PRIMARY KEY,
    "workspace_id" TEXT NOT NULL,
    "industry" TEXT NOT NULL,
    "segment" TEXT NOT NULL,
    "low" REAL NULL,
    "average" REAL NOT NULL,
    "high" REAL NULL,
    "source" TEXT NOT NULL,
    "year" INTEGER NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_benchmarks_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

CREATE TABLE "segment_keys" (
    "workspace_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "pk_segment_keys" PRIMARY KEY ("workspace_id", "key"),
    CONSTRAINT "fk_segment_keys_workspaces_workspace_id" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
);

ALTER TABLE "surveys" ADD COLUMN "target_nps" REAL NULL;

ALTER TABLE "surveys" ADD COLUMN "benchmark_id" TEXT NULL;

CREATE INDEX "ix_benchmarks_workspace_id" ON "benchmarks" ("workspace_id");

-- The dashboard's latest comments read this range backwards in time.
CREATE INDEX "ix_responses_workspace_id_survey_id_responded_at" ON "responses" ("workspace_id", "survey_id", "responded_at") WHERE comment IS NOT NULL;

-- The Data Protection key ring lives in the database so every app node shares it.
CREATE TABLE "data_protection_keys" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_data_protection_keys" PRIMARY KEY AUTOINCREMENT,
    "friendly_name" TEXT NULL,
    "xml" TEXT NULL
);

-- Rollups are maintained by the database itself, so every write path (API, pages, imports, erasure) keeps them exact.
-- Each response counts in a daily row and in a monthly row ('m:' + dimension, day = first day of the local month).
CREATE TRIGGER trg_responses_rollup_insert AFTER INSERT ON responses
WHEN NEW.status = 'Final' AND NOT EXISTS (SELECT 1 FROM rollup_suspensions)
BEGIN
    INSERT INTO rollups (workspace_id, survey_id, dim, value, day, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10)
    SELECT NEW.workspace_id, NEW.survey_id, CASE WHEN g.monthly THEN 'm:' || k.dim ELSE k.dim END, k.value, CASE WHEN g.monthly THEN CAST(strftime('%s', date(l.s, 'unixepoch', 'start of month')) AS INTEGER) / 86400 ELSE l.s / 86400 END, (NEW.score = 0), (NEW.score = 1), (NEW.score = 2), (NEW.score = 3), (NEW.score = 4), (NEW.score = 5), (NEW.score = 6), (NEW.score = 7), (NEW.score = 8), (NEW.score = 9), (NEW.score = 10)
    FROM (SELECT (CAST(strftime('%s', NEW.responded_at) AS INTEGER) + COALESCE((SELECT o.offset_seconds FROM tz_offsets o WHERE o.workspace_id = NEW.workspace_id AND o.from_unix <= CAST(strftime('%s', NEW.responded_at) AS INTEGER) ORDER BY o.from_unix DESC LIMIT 1), 0)) AS s) AS l
    CROSS JOIN (SELECT 0 AS monthly UNION ALL SELECT 1) AS g
    CROSS JOIN (SELECT '*' AS dim, '' AS value
          UNION ALL SELECT 'channel', NEW.channel
          UNION ALL SELECT 'language', NEW.language
          UNION ALL SELECT 'touchpoint', NEW.touchpoint WHERE NEW.touchpoint IS NOT NULL
          UNION ALL SELECT 'team', NEW.team_member WHERE NEW.team_member IS NOT NULL
          UNION ALL SELECT 'p:' || s.key, json_extract(NEW.properties, '$."' || s.key || '"')
                    FROM segment_keys s
                    WHERE s.workspace_id = NEW.workspace_id AND NEW.properties IS NOT NULL
                      AND json_extract(NEW.properties, '$."' || s.key || '"') IS NOT NULL) AS k
    WHERE true
    ON CONFLICT (workspace_id, survey_id, dim, value, day) DO UPDATE SET d0 = d0 + excluded.d0, d1 = d1 + excluded.d1, d2 = d2 + excluded.d2, d3 = d3 + excluded.d3, d4 = d4 + excluded.d4, d5 = d5 + excluded.d5, d6 = d6 + excluded.d6, d7 = d7 + excluded.d7, d8 = d8 + excluded.d8, d9 = d9 + excluded.d9, d10 = d10 + excluded.d10;
END;

CREATE TRIGGER trg_responses_rollup_delete AFTER DELETE ON responses
WHEN OLD.status = 'Final' AND NOT EXISTS (SELECT 1 FROM rollup_suspensions)
BEGIN
    INSERT INTO rollups (workspace_id, survey_id, dim, value, day, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10)
    SELECT OLD.workspace_id, OLD.survey_id, CASE WHEN g.monthly THEN 'm:' || k.dim ELSE k.dim END, k.value, CASE WHEN g.monthly THEN CAST(strftime('%s', date(l.s, 'unixepoch', 'start of month')) AS INTEGER) / 86400 ELSE l.s / 86400 END, -(OLD.score = 0), -(OLD.score = 1), -(OLD.score = 2), -(OLD.score = 3), -(OLD.score = 4), -(OLD.score = 5), -(OLD.score = 6), -(OLD.score = 7), -(OLD.score = 8), -(OLD.score = 9), -(OLD.score = 10)
    FROM (SELECT (CAST(strftime('%s', OLD.responded_at) AS INTEGER) + COALESCE((SELECT o.offset_seconds FROM tz_offsets o WHERE o.workspace_id = OLD.workspace_id AND o.from_unix <= CAST(strftime('%s', OLD.responded_at) AS INTEGER) ORDER BY o.from_unix DESC LIMIT 1), 0)) AS s) AS l
    CROSS JOIN (SELECT 0 AS monthly UNION ALL SELECT 1) AS g
    CROSS JOIN (SELECT '*' AS dim, '' AS value
          UNION ALL SELECT 'channel', OLD.channel
          UNION ALL SELECT 'language', OLD.language
          UNION ALL SELECT 'touchpoint', OLD.touchpoint WHERE OLD.touchpoint IS NOT NULL
          UNION ALL SELECT 'team', OLD.team_member WHERE OLD.team_member IS NOT NULL
          UNION ALL SELECT 'p:' || s.key, json_extract(OLD.properties, '$."' || s.key || '"')
                    FROM segment_keys s
                    WHERE s.workspace_id = OLD.workspace_id AND OLD.properties IS NOT NULL
                      AND json_extract(OLD.properties, '$."' || s.key || '"') IS NOT NULL) AS k
    WHERE true
    ON CONFLICT (workspace_id, survey_id, dim, value, day) DO UPDATE SET d0 = d0 + excluded.d0, d1 = d1 + excluded.d1, d2 = d2 + excluded.d2, d3 = d3 + excluded.d3, d4 = d4 + excluded.d4, d5 = d5 + excluded.d5, d6 = d6 + excluded.d6, d7 = d7 + excluded.d7, d8 = d8 + excluded.d8, d9 = d9 + excluded.d9, d10 = d10 + excluded.d10;
END;

CREATE TRIGGER trg_responses_rollup_update AFTER UPDATE OF workspace_id, survey_id, score, status, channel, language, touchpoint, team_member, properties, responded_at ON responses
WHEN NOT EXISTS (SELECT 1 FROM rollup_suspensions)
BEGIN
    INSERT INTO rollups (workspace_id, survey_id, dim, value, day, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10)
    SELECT OLD.workspace_id, OLD.survey_id, CASE WHEN g.monthly THEN 'm:' || k.dim ELSE k.dim END, k.value, CASE WHEN g.monthly THEN CAST(strftime('%s', date(l.s, 'unixepoch', 'start of month')) AS INTEGER) / 86400 ELSE l.s / 86400 END, -(OLD.score = 0), -(OLD.score = 1), -(OLD.score = 2), -(OLD.score = 3), -(OLD.score = 4), -(OLD.score = 5), -(OLD.score = 6), -(OLD.score = 7), -(OLD.score = 8), -(OLD.score = 9), -(OLD.score = 10)
    FROM (SELECT (CAST(strftime('%s', OLD.responded_at) AS INTEGER) + COALESCE((SELECT o.offset_seconds FROM tz_offsets o WHERE o.workspace_id = OLD.workspace_id AND o.from_unix <= CAST(strftime('%s', OLD.responded_at) AS INTEGER) ORDER BY o.from_unix DESC LIMIT 1), 0)) AS s) AS l
    CROSS JOIN (SELECT 0 AS monthly UNION ALL SELECT 1) AS g
    CROSS JOIN (SELECT '*' AS dim, '' AS value
          UNION ALL SELECT 'channel', OLD.channel
          UNION ALL SELECT 'language', OLD.language
          UNION ALL SELECT 'touchpoint', OLD.touchpoint WHERE OLD.touchpoint IS NOT NULL
          UNION ALL SELECT 'team', OLD.team_member WHERE OLD.team_member IS NOT NULL
          UNION ALL SELECT 'p:' || s.key, json_extract(OLD.properties, '$."' || s.key || '"')
                    FROM segment_keys s
                    WHERE s.workspace_id = OLD.workspace_id AND OLD.properties IS NOT NULL
                      AND json_extract(OLD.properties, '$."' || s.key || '"') IS NOT NULL) AS k
    WHERE OLD.status = 'Final'
    ON CONFLICT (workspace_id, survey_id, dim, value, day) DO UPDATE SET d0 = d0 + excluded.d0, d1 = d1 + excluded.d1, d2 = d2 + excluded.d2, d3 = d3 + excluded.d3, d4 = d4 + excluded.d4, d5 = d5 + excluded.d5, d6 = d6 + excluded.d6, d7 = d7 + excluded.d7, d8 = d8 + excluded.d8, d9 = d9 + excluded.d9, d10 = d10 + excluded.d10;
    INSERT INTO rollups (workspace_id, survey_id, dim, value, day, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10)
    SELECT NEW.workspace_id, NEW.survey_id, CASE WHEN g.monthly THEN 'm:' || k.dim ELSE k.dim END, k.value, CASE WHEN g.monthly THEN CAST(strftime('%s', date(l.s, 'unixepoch', 'start of month')) AS INTEGER) / 86400 ELSE l.s / 86400 END, (NEW.score = 0), (NEW.score = 1), (NEW.score = 2), (NEW.score = 3), (NEW.score = 4), (NEW.score = 5), (NEW.score = 6), (NEW.score = 7), (NEW.score = 8), (NEW.score = 9), (NEW.score = 10)
    FROM (SELECT (CAST(strftime('%s', NEW.responded_at) AS INTEGER) + COALESCE((SELECT o.offset_seconds FROM tz_offsets o WHERE o.workspace_id = NEW.workspace_id AND o.from_unix <= CAST(strftime('%s', NEW.responded_at) AS INTEGER) ORDER BY o.from_unix DESC LIMIT 1), 0)) AS s) AS l
    CROSS JOIN (SELECT 0 AS monthly UNION ALL SELECT 1) AS g
    CROSS JOIN (SELECT '*' AS dim, '' AS value
          UNION ALL SELECT 'channel', NEW.channel
          UNION ALL SELECT 'language', NEW.language
          UNION ALL SELECT 'touchpoint', NEW.touchpoint WHERE NEW.touchpoint IS NOT NULL
          UNION ALL SELECT 'team', NEW.team_member WHERE NEW.team_member IS NOT NULL
          UNION ALL SELECT 'p:' || s.key, json_extract(NEW.properties, '$."' || s.key || '"')
                    FROM segment_keys s
                    WHERE s.workspace_id = NEW.workspace_id AND NEW.properties IS NOT NULL
                      AND json_extract(NEW.properties, '$."' || s.key || '"') IS NOT NULL) AS k
    WHERE NEW.status = 'Final'
    ON CONFLICT (workspace_id, survey_id, dim, value, day) DO UPDATE SET d0 = d0 + excluded.d0, d1 = d1 + excluded.d1, d2 = d2 + excluded.d2, d3 = d3 + excluded.d3, d4 = d4 + excluded.d4, d5 = d5 + excluded.d5, d6 = d6 + excluded.d6, d7 = d7 + excluded.d7, d8 = d8 + excluded.d8, d9 = d9 + excluded.d9, d10 = d10 + excluded.d10;
END;
