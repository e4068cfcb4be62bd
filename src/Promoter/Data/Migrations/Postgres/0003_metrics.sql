-- 0003 metrics: score-count rollups kept by triggers on responses, declared segments, time-zone offsets for local days, benchmarks and survey targets.
CREATE TABLE rollup_suspensions (
    token character varying(64) NOT NULL,
    CONSTRAINT pk_rollup_suspensions PRIMARY KEY (token)
);

CREATE TABLE rollups (
    workspace_id uuid NOT NULL,
    survey_id uuid NOT NULL,
    dim character varying(80) NOT NULL,
    value character varying(256) NOT NULL,
    day integer NOT NULL,
    d0 bigint NOT NULL,
    d1 bigint NOT NULL,
    d2 bigint NOT NULL,
    d3 bigint NOT NULL,
    d4 bigint NOT NULL,
    d5 bigint NOT NULL,
    d6 bigint NOT NULL,
    d7 bigint NOT NULL,
    d8 bigint NOT NULL,
    d9 bigint NOT NULL,
    d10 bigint NOT NULL,
    CONSTRAINT pk_rollups PRIMARY KEY (workspace_id, survey_id, dim, value, day)
);

CREATE TABLE tz_offsets (
    workspace_id uuid NOT NULL,
    from_unix bigint NOT NULL,
    offset_seconds integer NOT NULL,
    CONSTRAINT pk_tz_offsets PRIMARY KEY (workspace_id, from_unix)
);

CREATE TABLE benchmarks (
    id uuid NOT NULL,
    workspace_id uuid NOT NULL,
    industry character varying(200) NOT NULL,
    segment character varying(16) NOT NULL,
    low double precision,
    average double precision NOT NULL,
    high double precision,
    source character varying(500) NOT NULL,
    year integer,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_benchmarks PRIMARY KEY (id),
    CONSTRAINT fk_benchmarks_workspaces_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE
);

CREATE TABLE segment_keys (
    workspace_id uuid NOT NULL,
    key character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_segment_keys PRIMARY KEY (workspace_id, key),
    CONSTRAINT fk_segment_keys_workspaces_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE
);

ALTER TABLE surveys ADD target_nps double precision;

ALTER TABLE surveys ADD benchmark_id character varying(64);

CREATE INDEX ix_benchmarks_workspace_id ON benchmarks (workspace_id);

-- Rollups are maintained by the database itself, so every write path (API, pages, imports, erasure) keeps them exact.
CREATE FUNCTION responses_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM rollup_suspensions) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'Final' THEN
    INSERT INTO rollups (workspace_id, survey_id, dim, value, day, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10)
    SELECT r.workspace_id, r.survey_id, k.dim, k.value, ((extract(epoch FROM r.responded_at)::bigint + COALESCE((SELECT o.offset_seconds FROM tz_offsets o WHERE o.workspace_id = r.workspace_id AND o.from_unix <= extract(epoch FROM r.responded_at)::bigint ORDER BY o.from_unix DESC LIMIT 1), 0)) / 86400)::integer, -(r.score = 0)::int, -(r.score = 1)::int, -(r.score = 2)::int, -(r.score = 3)::int, -(r.score = 4)::int, -(r.score = 5)::int, -(r.score = 6)::int, -(r.score = 7)::int, -(r.score = 8)::int, -(r.score = 9)::int, -(r.score = 10)::int
    FROM (SELECT OLD.*) AS r
    CROSS JOIN LATERAL (
          SELECT '*'::varchar AS dim, ''::varchar AS value
          UNION ALL SELECT 'channel', r.channel
          UNION ALL SELECT 'language', r.language
          UNION ALL SELECT 'touchpoint', r.touchpoint WHERE r.touchpoint IS NOT NULL
          UNION ALL SELECT 'team', r.team_member WHERE r.team_member IS NOT NULL
          UNION ALL SELECT 'p:' || s.key, (r.properties::jsonb ->> s.key)
                    FROM segment_keys s
                    WHERE s.workspace_id = r.workspace_id AND r.properties IS NOT NULL
                      AND (r.properties::jsonb ->> s.key) IS NOT NULL) AS k
    ON CONFLICT (workspace_id, survey_id, dim, value, day) DO UPDATE SET d0 = rollups.d0 + excluded.d0, d1 = rollups.d1 + excluded.d1, d2 = rollups.d2 + excluded.d2, d3 = rollups.d3 + excluded.d3, d4 = rollups.d4 + excluded.d4, d5 = rollups.d5 + excluded.d5, d6 = rollups.d6 + excluded.d6, d7 = rollups.d7 + excluded.d7, d8 = rollups.d8 + excluded.d8, d9 = rollups.d9 + excluded.d9, d10 = rollups.d10 + excluded.d10;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'Final' THEN
    INSERT INTO rollups (workspace_id, survey_id, dim, value, day, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10)
    SELECT r.workspace_id, r.survey_id, k.dim, k.value, ((extract(epoch FROM r.responded_at)::bigint + COALESCE((SELECT o.offset_seconds FROM tz_offsets o WHERE o.workspace_id = r.workspace_id AND o.from_unix <= extract(epoch FROM r.responded_at)::bigint ORDER BY o.from_unix DESC LIMIT 1), 0)) / 86400)::integer, (r.score = 0)::int, (r.score = 1)::int, (r.score = 2)::int, (r.score = 3)::int, (r.score = 4)::int, (r.score = 5)::int, (r.score = 6)::int, (r.score = 7)::int, (r.score = 8)::int, (r.score = 9)::int, (r.score = 10)::int
    FROM (SELECT NEW.*) AS r
    CROSS JOIN LATERAL (
          SELECT '*'::varchar AS dim, ''::varchar AS value
          UNION ALL SELECT 'channel', r.channel
          UNION ALL SELECT 'language', r.language
          UNION ALL SELECT 'touchpoint', r.touchpoint WHERE r.touchpoint IS NOT NULL
          UNION ALL SELECT 'team', r.team_member WHERE r.team_member IS NOT NULL
          UNION ALL SELECT 'p:' || s.key, (r.properties::jsonb ->> s.key)
                    FROM segment_keys s
                    WHERE s.workspace_id = r.workspace_id AND r.properties IS NOT NULL
                      AND (r.properties::jsonb ->> s.key) IS NOT NULL) AS k
    ON CONFLICT (workspace_id, survey_id, dim, value, day) DO UPDATE SET d0 = rollups.d0 + excluded.d0, d1 = rollups.d1 + excluded.d1, d2 = rollups.d2 + excluded.d2, d3 = rollups.d3 + excluded.d3, d4 = rollups.d4 + excluded.d4, d5 = rollups.d5 + excluded.d5, d6 = rollups.d6 + excluded.d6, d7 = rollups.d7 + excluded.d7, d8 = rollups.d8 + excluded.d8, d9 = rollups.d9 + excluded.d9, d10 = rollups.d10 + excluded.d10;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_responses_rollup AFTER INSERT OR DELETE OR UPDATE OF workspace_id, survey_id, score, status, channel, language, touchpoint, team_member, properties, responded_at
ON responses FOR EACH ROW EXECUTE FUNCTION responses_rollup();
