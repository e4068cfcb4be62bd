-- 0007 contacts: the durable job row of a one-off batch send (issue 5, 4a). See src/Promoter/Distribution/Batches
-- and ADR-008. No foreign key to sends (created by 0008, which runs after this on a new database); the job shares
-- the send's id and goes with its workspace or survey.
CREATE TABLE batch_jobs (
    id uuid NOT NULL,
    workspace_id uuid NOT NULL,
    send_id uuid NOT NULL,
    survey_id uuid NOT NULL,
    filter character varying(2000) NOT NULL,
    status character varying(16) NOT NULL,
    planned integer NOT NULL,
    queued integer NOT NULL,
    skipped integer NOT NULL,
    last_contact_id uuid NULL,
    lease_owner uuid NULL,
    lease_until timestamp with time zone NULL,
    error character varying(2000) NULL,
    requested_by character varying(320) NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone NULL,
    CONSTRAINT pk_batch_jobs PRIMARY KEY (id),
    CONSTRAINT fk_batch_jobs_surveys_survey_id FOREIGN KEY (survey_id) REFERENCES surveys (id) ON DELETE CASCADE,
    CONSTRAINT fk_batch_jobs_workspaces_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE
);

CREATE INDEX ix_batch_jobs_status_lease_until ON batch_jobs (status, lease_until);
CREATE INDEX ix_batch_jobs_workspace_id_created_at ON batch_jobs (workspace_id, created_at);
CREATE INDEX ix_batch_jobs_survey_id ON batch_jobs (survey_id);
