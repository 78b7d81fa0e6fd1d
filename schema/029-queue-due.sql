-- 029: the review queue's page in index order (issue #21). A case's due time
-- is submitted_at + the SLA hours of its class (face, questions failed,
-- documents), the hours from the configuration (review_sla_*_hours), so that
-- a changed SLA applies to the whole queue at the next start without
-- rewriting a row. Within one class the due time is submitted_at + a
-- constant: the class's cases are already in due order on an index over
-- (class, submitted_at, id). STMT_REVIEW_QUEUE reads each class by that index
-- from the cursor on, at most a page per class (LIMIT), and sorts only those
-- (at most three pages) into one; STMT_REVIEW_QUEUE_STATUS does the same on
-- (class, status as the queue shows it, submitted_at, id) when a status is
-- chosen. Before, every open case's due time was computed and sorted for
-- each page (a filesort over the whole backlog).
--
-- queue_class and queue_status are NULL for a case that is not waiting in
-- the queue (not submitted, or closed). They are set by the two triggers
-- below on every INSERT and UPDATE (route, status, questions_attempts,
-- submitted_at and first_approval_by decide them), so no statement has to
-- remember to. Plain columns kept by triggers, not generated columns: with a
-- VIRTUAL or PERSISTENT column, MariaDB 10.11's CHECKSUM TABLE of the table
-- changes with what was read before it (seen: three values for the same
-- rows), which the backup drill, the cluster's node comparison and the
-- "changes nothing" tests rely on. The columns are added instantly, the
-- triggers before the existing rows are filled in (a write meanwhile sets its
-- own), the indexes built in place, reads and writes going on meanwhile.
ALTER TABLE reset_cases ADD COLUMN queue_class VARCHAR(16) NULL, ADD COLUMN queue_status VARCHAR(16) NULL, ALGORITHM=INSTANT;
CREATE TRIGGER reset_cases_queue_insert BEFORE INSERT ON reset_cases FOR EACH ROW
  SET NEW.queue_class = IF(NEW.status IN ('under_review', 'needs_more_info', 'disputed') AND NEW.submitted_at IS NOT NULL,
      CASE WHEN NEW.route = 'face' THEN 'face' WHEN NEW.questions_attempts > 0 THEN 'questions_failed' ELSE 'documents' END, NULL),
    NEW.queue_status = IF(NEW.status IN ('under_review', 'needs_more_info', 'disputed') AND NEW.submitted_at IS NOT NULL,
      IF(NEW.status IN ('under_review', 'disputed') AND NEW.first_approval_by IS NOT NULL, 'second_approval', NEW.status), NULL);
CREATE TRIGGER reset_cases_queue_update BEFORE UPDATE ON reset_cases FOR EACH ROW
  SET NEW.queue_class = IF(NEW.status IN ('under_review', 'needs_more_info', 'disputed') AND NEW.submitted_at IS NOT NULL,
      CASE WHEN NEW.route = 'face' THEN 'face' WHEN NEW.questions_attempts > 0 THEN 'questions_failed' ELSE 'documents' END, NULL),
    NEW.queue_status = IF(NEW.status IN ('under_review', 'needs_more_info', 'disputed') AND NEW.submitted_at IS NOT NULL,
      IF(NEW.status IN ('under_review', 'disputed') AND NEW.first_approval_by IS NOT NULL, 'second_approval', NEW.status), NULL);
-- the rows already waiting: each an UPDATE, whose trigger sets both columns
UPDATE reset_cases SET queue_class = NULL WHERE status IN ('under_review', 'needs_more_info', 'disputed') AND submitted_at IS NOT NULL;
ALTER TABLE reset_cases ADD KEY reset_cases_due (queue_class, submitted_at, id),
  ADD KEY reset_cases_due_status (queue_class, queue_status, submitted_at, id), ALGORITHM=INPLACE, LOCK=NONE;
