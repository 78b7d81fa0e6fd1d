-- 035: GET /api/me from two rows, two columns of page (issue #21). The
-- signed-in read joined the session, the account and its summary (031) and
-- took 23 columns, four of them formatted dates: MariaDB resolves, plans and
-- sends each one on every execution, about 65 us of server CPU per request
-- against 15 for the health check's statement. The summary row now also
-- carries what the page shows of the account, as one JSON document made when
-- the row is written (dates already formatted), and the two account values
-- the read decides on: frozen (no row: 401, revocation stays immediate) and
-- the asset value (the tier, against the configured threshold at read time).
-- The read is the session and this row by their keys, 7 columns (about 42 us).
--
-- The document is made by one function from the account's row and the
-- summary's columns, so that the triggers, the set-wise view and the check
-- agree by construction. It is remade on every write of the row (a trigger
-- on account_summaries itself, before the write) and the row is written when
-- the account changes what the page shows (a trigger on accounts; a password
-- change writes nothing here). The document is JSON: email, identity_status,
-- display_name, no_passkey_protection (0/1), created_at, language (null or a
-- code), totp (null, 0, 1), passkeys, phone (null or the number; rekeyd
-- masks it), freeze_at (null or a time), freeze_used (0/1), case_id and
-- case_status (null or the open case), holds and signins (the lists 031
-- keeps); rekeyd checks every member's type and refuses anything else.
ALTER TABLE account_summaries ADD COLUMN frozen TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN asset_value_cents BIGINT NOT NULL DEFAULT 0, ADD COLUMN doc TEXT NOT NULL DEFAULT '{}', ALGORITHM=INSTANT;

-- (a numeric parameter is written as a JSON string by MariaDB 10.11's
-- JSON_OBJECT, "3"; its value + 0 as a number, 3)
CREATE FUNCTION account_summary_doc(acc BIGINT UNSIGNED, totp TINYINT, passkeys INT UNSIGNED, phone VARCHAR(20), freeze_at DATETIME(6),
    freeze_used TINYINT, case_id BIGINT UNSIGNED, case_status VARCHAR(32), holds TEXT, signins TEXT)
  RETURNS TEXT CHARSET utf8mb4 COLLATE utf8mb4_bin READS SQL DATA
  RETURN (SELECT JSON_OBJECT('email', a.email, 'identity_status', a.identity_status, 'display_name', a.display_name,
      'no_passkey_protection', a.no_passkey_protection, 'created_at', DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%s.%fZ'),
      'language', a.language, 'totp', totp + 0, 'passkeys', passkeys + 0, 'phone', phone,
      'freeze_at', DATE_FORMAT(freeze_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'freeze_used', freeze_used + 0, 'case_id', case_id + 0,
      'case_status', case_status, 'holds', JSON_EXTRACT(holds, '$'), 'signins', JSON_EXTRACT(signins, '$'))
    FROM accounts a WHERE a.id = acc);

CREATE TRIGGER account_summary_doc_new BEFORE INSERT ON account_summaries FOR EACH ROW
  SET NEW.frozen = (SELECT a.frozen FROM accounts a WHERE a.id = NEW.account_id),
    NEW.asset_value_cents = (SELECT a.asset_value_cents FROM accounts a WHERE a.id = NEW.account_id),
    NEW.doc = account_summary_doc(NEW.account_id, NEW.totp, NEW.passkeys, NEW.phone, NEW.freeze_at, NEW.freeze_used,
      NEW.case_id, NEW.case_status, NEW.holds, NEW.signins);
CREATE TRIGGER account_summary_doc_set BEFORE UPDATE ON account_summaries FOR EACH ROW
  SET NEW.frozen = (SELECT a.frozen FROM accounts a WHERE a.id = NEW.account_id),
    NEW.asset_value_cents = (SELECT a.asset_value_cents FROM accounts a WHERE a.id = NEW.account_id),
    NEW.doc = account_summary_doc(NEW.account_id, NEW.totp, NEW.passkeys, NEW.phone, NEW.freeze_at, NEW.freeze_used,
      NEW.case_id, NEW.case_status, NEW.holds, NEW.signins);

-- the account's side: a change of what the page shows (or decides on) writes
-- the summary row, whose trigger above remakes it; anything else (a password)
-- is an impossible WHERE and reads nothing
CREATE TRIGGER account_summary_account_set AFTER UPDATE ON accounts FOR EACH ROW
  UPDATE account_summaries SET doc = '' WHERE account_id = NEW.id AND NOT (NEW.email <=> OLD.email
    AND NEW.identity_status <=> OLD.identity_status AND NEW.display_name <=> OLD.display_name
    AND NEW.no_passkey_protection <=> OLD.no_passkey_protection AND NEW.created_at <=> OLD.created_at
    AND NEW.language <=> OLD.language AND NEW.frozen <=> OLD.frozen AND NEW.asset_value_cents <=> OLD.asset_value_cents);

-- the rows as they should be, set-wise: 031's view with the account's values
-- and the document (rebuild and `rekeyctl summaries check` read this one)
CREATE VIEW account_summaries_whole AS
SELECT f.account_id, f.totp, f.passkeys, f.phone, f.freeze_at, f.freeze_used, f.case_id, f.case_status, f.holds, f.signins,
  a.frozen, a.asset_value_cents, account_summary_doc(f.account_id, f.totp, f.passkeys, f.phone, f.freeze_at, f.freeze_used,
    f.case_id, f.case_status, f.holds, f.signins) AS doc
FROM account_summaries_made f JOIN accounts a ON a.id = f.account_id;

-- the rebuild writes the document itself: a bulk load rebuilds with the
-- triggers off (tests/bench/seed-bulk.sh)
CREATE OR REPLACE PROCEDURE account_summaries_rebuild()
  INSERT INTO account_summaries (account_id, totp, passkeys, phone, freeze_at, freeze_used, case_id, case_status, holds, signins,
    frozen, asset_value_cents, doc)
  SELECT account_id, totp, passkeys, phone, freeze_at, freeze_used, case_id, case_status, holds, signins, frozen, asset_value_cents, doc
  FROM account_summaries_whole
  ON DUPLICATE KEY UPDATE totp = VALUES(totp), passkeys = VALUES(passkeys), phone = VALUES(phone),
    freeze_at = VALUES(freeze_at), freeze_used = VALUES(freeze_used), case_id = VALUES(case_id),
    case_status = VALUES(case_status), holds = VALUES(holds), signins = VALUES(signins),
    frozen = VALUES(frozen), asset_value_cents = VALUES(asset_value_cents), doc = VALUES(doc);

CALL account_summaries_rebuild();
