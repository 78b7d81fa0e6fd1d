-- 033: the review queue's header counts without reading every waiting case's
-- account (issue #21). The counts (per kind, status and value tier) joined
-- each waiting case to its account for the asset value that decides its
-- tier: 5,000 waiting cases were 5,000 reads of accounts scattered over the
-- whole table for every queue page (8 ms of server CPU at 10 thousand
-- accounts, more at a million, where those rows are spread over more pages).
-- A waiting case now carries its account's asset value, kept equal to the
-- account's by triggers: the case's own (029's, recreated with the value) on
-- every write of the case, and one on accounts when the value changes (the
-- exchange's ledger writes it; rekeyd never does). The counts are read from
-- one index, (class, status, route, value), which holds everything they
-- group by: a range over the waiting cases and nothing else. The tier is
-- still decided at read time against high_value_cents (a changed threshold
-- applies at once), and the queue's page compares the same column, so the
-- page and its counts agree. NULL for a case that is not waiting.
ALTER TABLE reset_cases ADD COLUMN queue_value_cents BIGINT NULL, ALGORITHM=INSTANT;
DROP TRIGGER reset_cases_queue_insert;
DROP TRIGGER reset_cases_queue_update;
CREATE TRIGGER reset_cases_queue_insert BEFORE INSERT ON reset_cases FOR EACH ROW
  SET NEW.queue_class = IF(NEW.status IN ('under_review', 'needs_more_info', 'disputed') AND NEW.submitted_at IS NOT NULL,
      CASE WHEN NEW.route = 'face' THEN 'face' WHEN NEW.questions_attempts > 0 THEN 'questions_failed' ELSE 'documents' END, NULL),
    NEW.queue_status = IF(NEW.status IN ('under_review', 'needs_more_info', 'disputed') AND NEW.submitted_at IS NOT NULL,
      IF(NEW.status IN ('under_review', 'disputed') AND NEW.first_approval_by IS NOT NULL, 'second_approval', NEW.status), NULL),
    NEW.queue_value_cents = IF(NEW.status IN ('under_review', 'needs_more_info', 'disputed') AND NEW.submitted_at IS NOT NULL,
      (SELECT a.asset_value_cents FROM accounts a WHERE a.id = NEW.account_id), NULL);
CREATE TRIGGER reset_cases_queue_update BEFORE UPDATE ON reset_cases FOR EACH ROW
  SET NEW.queue_class = IF(NEW.status IN ('under_review', 'needs_more_info', 'disputed') AND NEW.submitted_at IS NOT NULL,
      CASE WHEN NEW.route = 'face' THEN 'face' WHEN NEW.questions_attempts > 0 THEN 'questions_failed' ELSE 'documents' END, NULL),
    NEW.queue_status = IF(NEW.status IN ('under_review', 'needs_more_info', 'disputed') AND NEW.submitted_at IS NOT NULL,
      IF(NEW.status IN ('under_review', 'disputed') AND NEW.first_approval_by IS NOT NULL, 'second_approval', NEW.status), NULL),
    NEW.queue_value_cents = IF(NEW.status IN ('under_review', 'needs_more_info', 'disputed') AND NEW.submitted_at IS NOT NULL,
      (SELECT a.asset_value_cents FROM accounts a WHERE a.id = NEW.account_id), NULL);
-- the account's side: its waiting cases follow a changed value (the WHERE is
-- impossible, and nothing is read, when the value did not change)
CREATE TRIGGER reset_cases_queue_value AFTER UPDATE ON accounts FOR EACH ROW
  UPDATE reset_cases SET queue_value_cents = NEW.asset_value_cents
  WHERE NOT (NEW.asset_value_cents <=> OLD.asset_value_cents) AND account_id = NEW.id AND queue_class IS NOT NULL;
-- the rows already waiting: each an UPDATE, whose trigger sets the value
UPDATE reset_cases SET queue_class = NULL WHERE status IN ('under_review', 'needs_more_info', 'disputed') AND submitted_at IS NOT NULL;
ALTER TABLE reset_cases ADD KEY reset_cases_counts (queue_class, queue_status, route, queue_value_cents), ALGORITHM=INPLACE, LOCK=NONE;
