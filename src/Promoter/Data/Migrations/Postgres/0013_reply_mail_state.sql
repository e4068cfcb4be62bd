-- 0013 reply mail state: a reply on a case points at its mail in the outbox, so the case shows whether it left
-- (queued, sent, failed) and the first contact counts only once the relay accepted it. See src/Promoter/Loop/CaseService.cs.
ALTER TABLE case_activities ADD COLUMN email_id uuid;
