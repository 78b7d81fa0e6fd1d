-- 022: GET /metrics counts the withdrawal holds in force at every scrape
-- (issue #22). holds_account (account_id, ends_at) serves one account's
-- holds; this one is the range "ends after now", so the count reads only the
-- rows it counts (at most the bound in STMT_METRICS_HOLDS). The other gauges
-- use keys that exist: outbox_pending, face_checks_due, reset_cases_queue.
-- No new table: rekey_app already reads holds, outbox, face_checks, reset_cases.
ALTER TABLE holds ADD KEY holds_active (ends_at);
