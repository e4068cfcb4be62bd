-- 0010 delighted api: what Delighted knew about a person that contacts have no column for (its last send, used for
-- throttling after a move). See src/Promoter/Integrations/Delighted.
CREATE TABLE delighted_people (
    contact_id uuid NOT NULL,
    workspace_id uuid NOT NULL,
    last_sent_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_delighted_people PRIMARY KEY (contact_id),
    CONSTRAINT fk_delighted_people_contacts_contact_id FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
    CONSTRAINT fk_delighted_people_workspaces_workspace_id FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE
);

CREATE INDEX ix_delighted_people_workspace_id ON delighted_people (workspace_id);
