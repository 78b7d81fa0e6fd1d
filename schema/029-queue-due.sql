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
-- queue_class and queue_status are virtual columns: computed from the row,
-- stored only in their indexes, NULL for a case that is not waiting in the
-- queue (not submitted, or closed). Kept by InnoDB on every write that
-- changes route, status, questions_attempts, submitted_at or
-- first_approval_by: no statement has to remember to set them. The columns
-- are added instantly and the indexes built in place, reads and writes going
-- on meanwhile. The app and review users' table-wide SELECT covers them.
ALTER TABLE reset_cases
  ADD COLUMN queue_class VARCHAR(16) AS (IF(status IN ('under_review', 'needs_more_info', 'disputed') AND submitted_at IS NOT NULL,
    CASE WHEN route = 'face' THEN 'face' WHEN questions_attempts > 0 THEN 'questions_failed' ELSE 'documents' END, NULL)) VIRTUAL,
  ADD COLUMN queue_status VARCHAR(16) AS (IF(status IN ('under_review', 'needs_more_info', 'disputed') AND submitted_at IS NOT NULL,
    IF(status IN ('under_review', 'disputed') AND first_approval_by IS NOT NULL, 'second_approval', status), NULL)) VIRTUAL,
  ALGORITHM=INSTANT;
ALTER TABLE reset_cases ADD KEY reset_cases_due (queue_class, submitted_at, id),
  ADD KEY reset_cases_due_status (queue_class, queue_status, submitted_at, id), ALGORITHM=INPLACE, LOCK=NONE;
