-- 0014 term months: one version per survey and month of the text index, bumped by the indexer in the transaction that
-- changes the month, so that each node can keep whole months of term counts in memory (Understand/TermCountCache) and
-- know when its copy is stale. No backfill: a month without a row has version 0 until the indexer first changes it.

CREATE TABLE "term_months" (
    "workspace_id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "month" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "pk_term_months" PRIMARY KEY ("workspace_id", "survey_id", "month"),
    CONSTRAINT "fk_term_months_surveys_survey_id" FOREIGN KEY ("survey_id") REFERENCES "surveys" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_term_months_survey_id" ON "term_months" ("survey_id");
