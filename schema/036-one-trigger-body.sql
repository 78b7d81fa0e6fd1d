-- 036: one body for each pair of BEFORE INSERT / BEFORE UPDATE triggers that
-- 033 and 035 wrote twice, and one read of the account per summary write
-- (issue #21's follow-ups). MariaDB 10.11 has no trigger for two events, so
-- each pair repeated its SET in full; now each trigger is one CALL of a
-- procedure that sets the row's derived columns through OUT parameters
-- (NEW.col passed as OUT: allowed in a BEFORE trigger). 035's summary
-- triggers read the account row three times (frozen, the asset value, and
-- again inside account_summary_doc); the procedure reads it once and hands
-- its columns to a function that only builds the document (no SQL), which
-- the set-wise view calls with the same columns -- so the kept rows, the
-- rebuild and `rekeyctl summaries check` still agree by construction. The
-- document is byte for byte the one 035 made (tests/node/api_me_round_trip).
-- Safe on a live database: each trigger is replaced in one statement (CREATE
-- OR REPLACE; no moment without it, on every Galera node), and every
-- statement can run again after a failure part-way through. The string
-- parameters are TEXT: a column widened later cannot be cut short here.

-- the document from the account's columns and the summary's (035's members;
-- a numeric parameter + 0: MariaDB 10.11's JSON_OBJECT writes it as a string)
CREATE OR REPLACE FUNCTION account_summary_doc_of(email TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, identity_status TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin,
    display_name TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, no_passkey_protection TINYINT, created_at DATETIME(6),
    language TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, totp TINYINT, passkeys INT UNSIGNED, phone TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin,
    freeze_at DATETIME(6), freeze_used TINYINT, case_id BIGINT UNSIGNED, case_status TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin,
    holds TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, signins TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin)
  RETURNS TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin DETERMINISTIC NO SQL
  RETURN JSON_OBJECT('email', email, 'identity_status', identity_status, 'display_name', display_name,
    'no_passkey_protection', no_passkey_protection + 0, 'created_at', DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.%fZ'),
    'language', language, 'totp', totp + 0, 'passkeys', passkeys + 0, 'phone', phone,
    'freeze_at', DATE_FORMAT(freeze_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'freeze_used', freeze_used + 0, 'case_id', case_id + 0,
    'case_status', case_status, 'holds', JSON_EXTRACT(holds, '$'), 'signins', JSON_EXTRACT(signins, '$'));

-- a summary row's account values and document: one read of the account
CREATE OR REPLACE PROCEDURE account_summary_fill(IN acc BIGINT UNSIGNED, IN totp TINYINT, IN passkeys INT UNSIGNED,
    IN phone TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, IN freeze_at DATETIME(6), IN freeze_used TINYINT, IN case_id BIGINT UNSIGNED,
    IN case_status TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, IN holds TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, IN signins TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin,
    OUT o_frozen TINYINT, OUT o_value BIGINT, OUT o_doc TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin)
  SELECT a.frozen, a.asset_value_cents, account_summary_doc_of(a.email, a.identity_status, a.display_name,
      a.no_passkey_protection, a.created_at, a.language, totp, passkeys, phone, freeze_at, freeze_used, case_id, case_status,
      holds, signins)
  INTO o_frozen, o_value, o_doc FROM accounts a WHERE a.id = acc;

CREATE OR REPLACE TRIGGER account_summary_doc_new BEFORE INSERT ON account_summaries FOR EACH ROW
  CALL account_summary_fill(NEW.account_id, NEW.totp, NEW.passkeys, NEW.phone, NEW.freeze_at, NEW.freeze_used,
    NEW.case_id, NEW.case_status, NEW.holds, NEW.signins, NEW.frozen, NEW.asset_value_cents, NEW.doc);
CREATE OR REPLACE TRIGGER account_summary_doc_set BEFORE UPDATE ON account_summaries FOR EACH ROW
  CALL account_summary_fill(NEW.account_id, NEW.totp, NEW.passkeys, NEW.phone, NEW.freeze_at, NEW.freeze_used,
    NEW.case_id, NEW.case_status, NEW.holds, NEW.signins, NEW.frozen, NEW.asset_value_cents, NEW.doc);

-- the rows as they should be (035's view, the same columns): the document
-- from the joined account's columns
CREATE OR REPLACE VIEW account_summaries_whole AS
SELECT f.account_id, f.totp, f.passkeys, f.phone, f.freeze_at, f.freeze_used, f.case_id, f.case_status, f.holds, f.signins,
  a.frozen, a.asset_value_cents, account_summary_doc_of(a.email, a.identity_status, a.display_name, a.no_passkey_protection,
    a.created_at, a.language, f.totp, f.passkeys, f.phone, f.freeze_at, f.freeze_used, f.case_id, f.case_status, f.holds,
    f.signins) AS doc
FROM account_summaries_made f JOIN accounts a ON a.id = f.account_id;

DROP FUNCTION IF EXISTS account_summary_doc;

-- a case's place in the review queue (029, 033): its kind, its queue status
-- and, while it waits, its account's asset value; NULL for a case not waiting
CREATE OR REPLACE PROCEDURE reset_case_queue(IN st TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, IN submitted DATETIME(6), IN rt TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin,
    IN attempts INT, IN first_by BIGINT UNSIGNED, IN acc BIGINT UNSIGNED,
    OUT o_class TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, OUT o_status TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, OUT o_value BIGINT)
  SELECT IF(w.waiting, CASE WHEN rt = 'face' THEN 'face' WHEN attempts > 0 THEN 'questions_failed' ELSE 'documents' END, NULL),
    IF(w.waiting, IF(st IN ('under_review', 'disputed') AND first_by IS NOT NULL, 'second_approval', st), NULL),
    IF(w.waiting, (SELECT a.asset_value_cents FROM accounts a WHERE a.id = acc), NULL)
  INTO o_class, o_status, o_value
  FROM (SELECT st IN ('under_review', 'needs_more_info', 'disputed') AND submitted IS NOT NULL AS waiting) w;

CREATE OR REPLACE TRIGGER reset_cases_queue_insert BEFORE INSERT ON reset_cases FOR EACH ROW
  CALL reset_case_queue(NEW.status, NEW.submitted_at, NEW.route, NEW.questions_attempts, NEW.first_approval_by, NEW.account_id,
    NEW.queue_class, NEW.queue_status, NEW.queue_value_cents);
CREATE OR REPLACE TRIGGER reset_cases_queue_update BEFORE UPDATE ON reset_cases FOR EACH ROW
  CALL reset_case_queue(NEW.status, NEW.submitted_at, NEW.route, NEW.questions_attempts, NEW.first_approval_by, NEW.account_id,
    NEW.queue_class, NEW.queue_status, NEW.queue_value_cents);
