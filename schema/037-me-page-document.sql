-- 037: the summary's document is the signed-in page's own members, as
-- GET /api/me sends them (issue #21: the page at >= 60 % of health). Since
-- 035 rekeyd parsed the document, checked each member, built the page from
-- it and wrote it out again: a third of rekeyd's time on the request
-- (about 22 of 74 us) went on that. Now the document is written once, when
-- the summary changes, in the shape the page shows, compact; rekeyd sends its
-- bytes as they are and appends what is not the account's to keep: the
-- session (id, CSRF), the configured values (value tier, operator), the
-- tools (the phone masked by rekeyd's one rule) and the holds still running
-- now (the database's clock at the read, from the summary's holds column).
--
-- The members, in this order and compact: email (first: rekeyd refuses a
-- document that starts otherwise, such as 036's '{"email": "', which it must
-- not send: it holds the phone unmasked), display_name, identity_status,
-- no_passkey_protection (true/false), created_at, recent_signins (the last
-- 5, newest first), open_case (null or {id, status}), language (null until
-- one is saved), freeze_code (null or {issued_at, used}: never the code).
--
-- The function keeps 036's parameters, so that 036's procedure, triggers and
-- view call it unchanged (totp, passkeys, phone and holds are the summary's
-- own columns, which rekeyd reads beside the document). Only the function's
-- owner writes a document: every write of a summary row remakes it in its
-- trigger, and rekeyd's users cannot write the table (schema/031), so the
-- bytes sent are the function's. The strings are quoted by JSON_OBJECT
-- (quotes, backslashes, control characters as \uXXXX;
-- tests/node/api_me_round_trip.test.mjs sends a name and a device with each).
-- Upgrading: rekeyd of this version refuses 036's documents, and 036's
-- rekeyd refuses these (500 on GET /api/me, nothing shown, never guessed
-- at): stop rekeyd, migrate, start it (README, "Upgrading").
CREATE OR REPLACE FUNCTION account_summary_doc_of(email TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, identity_status TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin,
    display_name TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, no_passkey_protection TINYINT, created_at DATETIME(6),
    language TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, totp TINYINT, passkeys INT UNSIGNED, phone TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin,
    freeze_at DATETIME(6), freeze_used TINYINT, case_id BIGINT UNSIGNED, case_status TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin,
    holds TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin, signins TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin)
  RETURNS TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin DETERMINISTIC NO SQL
  RETURN JSON_COMPACT(JSON_OBJECT('email', email, 'display_name', display_name, 'identity_status', identity_status,
    'no_passkey_protection', no_passkey_protection = 1, 'created_at', DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.%fZ'),
    'recent_signins', JSON_EXTRACT(signins, '$'),
    'open_case', IF(case_id IS NULL, NULL, JSON_OBJECT('id', case_id + 0, 'status', COALESCE(case_status, ''))),
    'language', NULLIF(language, ''),
    'freeze_code', IF(freeze_at IS NULL, NULL,
      JSON_OBJECT('issued_at', DATE_FORMAT(freeze_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'used', freeze_used = 1))));

-- every document remade in the new shape, 5,000 accounts a transaction (an
-- UPDATE of a row remakes its document: the trigger). One transaction over
-- every row, as a rebuild is, would at a million accounts be a write-set of
-- gigabytes on Galera (over wsrep_max_ws_size: refused) and hold every
-- summary's lock until the end. Can run again after a failure part-way.
CREATE OR REPLACE PROCEDURE account_summaries_remake_docs()
BEGIN
  DECLARE lo BIGINT UNSIGNED DEFAULT 0;
  DECLARE top BIGINT UNSIGNED;
  SELECT COALESCE(MAX(account_id), 0) INTO top FROM account_summaries;
  WHILE lo <= top DO
    UPDATE account_summaries SET doc = '' WHERE account_id >= lo AND account_id < lo + 5000;
    COMMIT;
    SET lo = lo + 5000;
  END WHILE;
END;
CALL account_summaries_remake_docs();
DROP PROCEDURE account_summaries_remake_docs;
