-- 031: GET /api/me in one cheap statement (issue #21). The account page's
-- summary -- its tools, freeze code, open case, active holds and last
-- sign-ins -- was gathered on every request from eight tables by one UNION
-- statement that MariaDB planned afresh each time (about 0.3 ms of server
-- CPU, eight times a bare indexed read). It is now kept here, one row per
-- account, by the database itself: triggers on the tables it is made of
-- refresh the row inside the transaction that changed them, so a read never
-- sees a summary older than its own data (no cache to go stale, no
-- invalidation in the application). GET /api/me reads sessions, accounts and
-- this row by their keys. Holds end with time, not with a write: the row keeps
-- the 20 latest-ending holds live when it was made and the reader drops those
-- that have ended since (the 20 latest-ending holds live now are always among
-- them). The triggers run with the migrating user's rights: the application's
-- users may read the row, never write it.
CREATE TABLE account_summaries (
  account_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  totp TINYINT NULL,                          -- NULL: none bound; 0 bound, unconfirmed; 1 confirmed
  passkeys INT UNSIGNED NOT NULL DEFAULT 0,   -- passkeys not suspended
  phone VARCHAR(20) NULL,                     -- the confirmed phone's number
  freeze_at DATETIME(6) NULL,                 -- the freeze code's time (never the code)
  freeze_used TINYINT NOT NULL DEFAULT 0,
  case_id BIGINT UNSIGNED NULL,               -- the open reset case
  case_status VARCHAR(32) NULL,
  holds TEXT NOT NULL DEFAULT '[]',           -- JSON: [{reason, source_event, starts_at, ends_at}], latest-ending first
  signins TEXT NOT NULL DEFAULT '[]',         -- JSON: [{at, ip, country, device}], the last 5, newest first
  CONSTRAINT account_summaries_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One account's row, made from its tables as they are now, in the caller's
-- transaction, by the account's keys: the triggers' refresh, one procedure
-- per part so that a sign-in does not recount the passkeys. The lists are
-- built from one index-ordered lookup per position (CONCAT_WS drops the
-- positions past the end), not with JSON_ARRAYAGG: an aggregate inside a
-- trigger crashed MariaDB 10.11 once here during a concurrent bulk load
-- (signal 11 in Create_tmp_table::cleanup_on_failure under
-- Item_func_group_concat::setup); a lookup needs no temporary table.
CREATE PROCEDURE account_summary_tools(IN acc BIGINT UNSIGNED)
  INSERT INTO account_summaries (account_id, totp, passkeys, phone, freeze_at, freeze_used, case_id, case_status)
  SELECT acc,
    (SELECT t.confirmed_at IS NOT NULL FROM totp_bindings t WHERE t.account_id = acc),
    (SELECT COUNT(*) FROM passkeys p WHERE p.account_id = acc AND p.suspended_until IS NULL),
    (SELECT ph.number FROM phones ph WHERE ph.account_id = acc AND ph.confirmed_at IS NOT NULL),
    (SELECT fc.created_at FROM freeze_codes fc WHERE fc.account_id = acc),
    COALESCE((SELECT fc.used_at IS NOT NULL FROM freeze_codes fc WHERE fc.account_id = acc), 0),
    (SELECT c.id FROM reset_cases c WHERE c.open_account_id = acc),
    (SELECT c.status FROM reset_cases c WHERE c.open_account_id = acc)
  ON DUPLICATE KEY UPDATE totp = VALUES(totp), passkeys = VALUES(passkeys), phone = VALUES(phone),
    freeze_at = VALUES(freeze_at), freeze_used = VALUES(freeze_used), case_id = VALUES(case_id),
    case_status = VALUES(case_status);

-- the 20 latest-ending holds live now
CREATE PROCEDURE account_summary_holds(IN acc BIGINT UNSIGNED)
  INSERT INTO account_summaries (account_id, holds)
  SELECT acc, CONCAT('[', CONCAT_WS(',',
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 0, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 1, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 2, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 3, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 4, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 5, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 6, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 7, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 8, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 9, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 10, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 11, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 12, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 13, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 14, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 15, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 16, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 17, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 18, 1),
      (SELECT JSON_OBJECT('reason', reason, 'source_event', source_event, 'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ')) FROM holds WHERE account_id = acc AND ends_at > UTC_TIMESTAMP(6) ORDER BY ends_at DESC, id DESC LIMIT 19, 1)), ']')
  ON DUPLICATE KEY UPDATE holds = VALUES(holds);

-- the last 5 sign-ins
CREATE PROCEDURE account_summary_signins(IN acc BIGINT UNSIGNED)
  INSERT INTO account_summaries (account_id, signins)
  SELECT acc, CONCAT('[', CONCAT_WS(',',
      (SELECT JSON_OBJECT('at', DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ip', ip, 'country', country, 'device', device) FROM signins WHERE account_id = acc ORDER BY at DESC, id DESC LIMIT 0, 1),
      (SELECT JSON_OBJECT('at', DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ip', ip, 'country', country, 'device', device) FROM signins WHERE account_id = acc ORDER BY at DESC, id DESC LIMIT 1, 1),
      (SELECT JSON_OBJECT('at', DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ip', ip, 'country', country, 'device', device) FROM signins WHERE account_id = acc ORDER BY at DESC, id DESC LIMIT 2, 1),
      (SELECT JSON_OBJECT('at', DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ip', ip, 'country', country, 'device', device) FROM signins WHERE account_id = acc ORDER BY at DESC, id DESC LIMIT 3, 1),
      (SELECT JSON_OBJECT('at', DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ip', ip, 'country', country, 'device', device) FROM signins WHERE account_id = acc ORDER BY at DESC, id DESC LIMIT 4, 1)), ']')
  ON DUPLICATE KEY UPDATE signins = VALUES(signins);

CREATE PROCEDURE account_summary_refresh(IN acc BIGINT UNSIGNED)
BEGIN
  CALL account_summary_tools(acc);
  CALL account_summary_holds(acc);
  CALL account_summary_signins(acc);
END;

-- every account's summary as it should be, made set-wise: what a bulk load
-- that ran without the triggers (tests/bench/seed-bulk.sh) rebuilds from,
-- and what `rekeyctl summaries-check` and the tests compare the kept rows
-- with (the two definitions must agree row for row)
CREATE VIEW account_summaries_made AS
SELECT a.id AS account_id, IF(t.account_id IS NULL, NULL, t.confirmed_at IS NOT NULL) AS totp, COALESCE(p.n, 0) AS passkeys,
  ph.number AS phone, fc.created_at AS freeze_at, COALESCE(fc.used_at IS NOT NULL, 0) AS freeze_used,
  c.id AS case_id, c.status AS case_status, COALESCE(h.j, '[]') AS holds, COALESCE(g.j, '[]') AS signins
FROM accounts a
LEFT JOIN totp_bindings t ON t.account_id = a.id
LEFT JOIN (SELECT account_id, COUNT(*) AS n FROM passkeys WHERE suspended_until IS NULL GROUP BY account_id) p ON p.account_id = a.id
LEFT JOIN phones ph ON ph.account_id = a.id AND ph.confirmed_at IS NOT NULL
LEFT JOIN freeze_codes fc ON fc.account_id = a.id
LEFT JOIN reset_cases c ON c.open_account_id = a.id
LEFT JOIN (SELECT account_id, JSON_ARRAYAGG(JSON_OBJECT('reason', reason, 'source_event', source_event,
    'starts_at', DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ends_at', DATE_FORMAT(ends_at, '%Y-%m-%dT%H:%i:%s.%fZ'))
    ORDER BY ends_at DESC, id DESC LIMIT 20) AS j FROM holds WHERE ends_at > UTC_TIMESTAMP(6) GROUP BY account_id) h ON h.account_id = a.id
LEFT JOIN (SELECT account_id, JSON_ARRAYAGG(JSON_OBJECT('at', DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), 'ip', ip,
    'country', country, 'device', device) ORDER BY at DESC, id DESC LIMIT 5) AS j FROM signins GROUP BY account_id) g ON g.account_id = a.id;

CREATE PROCEDURE account_summaries_rebuild()
  INSERT INTO account_summaries (account_id, totp, passkeys, phone, freeze_at, freeze_used, case_id, case_status, holds, signins)
  SELECT account_id, totp, passkeys, phone, freeze_at, freeze_used, case_id, case_status, holds, signins FROM account_summaries_made
  ON DUPLICATE KEY UPDATE totp = VALUES(totp), passkeys = VALUES(passkeys), phone = VALUES(phone),
    freeze_at = VALUES(freeze_at), freeze_used = VALUES(freeze_used), case_id = VALUES(case_id),
    case_status = VALUES(case_status), holds = VALUES(holds), signins = VALUES(signins);

-- a new account: an empty summary (it has nothing yet)
CREATE TRIGGER account_summary_new AFTER INSERT ON accounts FOR EACH ROW INSERT INTO account_summaries (account_id) VALUES (NEW.id);

-- each table the summary is made of: a row in, out, or changed in what the summary shows
CREATE TRIGGER account_summary_passkeys_in AFTER INSERT ON passkeys FOR EACH ROW CALL account_summary_tools(NEW.account_id);
CREATE TRIGGER account_summary_passkeys_out AFTER DELETE ON passkeys FOR EACH ROW CALL account_summary_tools(OLD.account_id);
-- (not on a sign-in's counter: only suspension and owner count)
CREATE TRIGGER account_summary_passkeys_set AFTER UPDATE ON passkeys FOR EACH ROW
BEGIN
  IF NOT (OLD.account_id <=> NEW.account_id AND (OLD.suspended_until IS NULL) <=> (NEW.suspended_until IS NULL)) THEN
    CALL account_summary_tools(NEW.account_id);
    IF NOT OLD.account_id <=> NEW.account_id THEN CALL account_summary_tools(OLD.account_id); END IF;
  END IF;
END;

CREATE TRIGGER account_summary_totp_in AFTER INSERT ON totp_bindings FOR EACH ROW CALL account_summary_tools(NEW.account_id);
CREATE TRIGGER account_summary_totp_out AFTER DELETE ON totp_bindings FOR EACH ROW CALL account_summary_tools(OLD.account_id);
-- (not on a code's step: only confirmation and owner count)
CREATE TRIGGER account_summary_totp_set AFTER UPDATE ON totp_bindings FOR EACH ROW
BEGIN
  IF NOT (OLD.account_id <=> NEW.account_id AND (OLD.confirmed_at IS NULL) <=> (NEW.confirmed_at IS NULL)) THEN
    CALL account_summary_tools(NEW.account_id);
    IF NOT OLD.account_id <=> NEW.account_id THEN CALL account_summary_tools(OLD.account_id); END IF;
  END IF;
END;

CREATE TRIGGER account_summary_phones_in AFTER INSERT ON phones FOR EACH ROW CALL account_summary_tools(NEW.account_id);
CREATE TRIGGER account_summary_phones_out AFTER DELETE ON phones FOR EACH ROW CALL account_summary_tools(OLD.account_id);
CREATE TRIGGER account_summary_phones_set AFTER UPDATE ON phones FOR EACH ROW
BEGIN
  IF NOT (OLD.account_id <=> NEW.account_id AND OLD.number <=> NEW.number AND (OLD.confirmed_at IS NULL) <=> (NEW.confirmed_at IS NULL)) THEN
    CALL account_summary_tools(NEW.account_id);
    IF NOT OLD.account_id <=> NEW.account_id THEN CALL account_summary_tools(OLD.account_id); END IF;
  END IF;
END;

CREATE TRIGGER account_summary_freeze_in AFTER INSERT ON freeze_codes FOR EACH ROW CALL account_summary_tools(NEW.account_id);
CREATE TRIGGER account_summary_freeze_out AFTER DELETE ON freeze_codes FOR EACH ROW CALL account_summary_tools(OLD.account_id);
CREATE TRIGGER account_summary_freeze_set AFTER UPDATE ON freeze_codes FOR EACH ROW
BEGIN
  IF NOT (OLD.account_id <=> NEW.account_id AND OLD.created_at <=> NEW.created_at AND (OLD.used_at IS NULL) <=> (NEW.used_at IS NULL)) THEN
    CALL account_summary_tools(NEW.account_id);
    IF NOT OLD.account_id <=> NEW.account_id THEN CALL account_summary_tools(OLD.account_id); END IF;
  END IF;
END;

-- a case counts while it is open (open_account_id set): its id and status
CREATE TRIGGER account_summary_case_in AFTER INSERT ON reset_cases FOR EACH ROW
BEGIN
  IF NEW.open_account_id IS NOT NULL THEN CALL account_summary_tools(NEW.open_account_id); END IF;
END;
CREATE TRIGGER account_summary_case_out AFTER DELETE ON reset_cases FOR EACH ROW
BEGIN
  IF OLD.open_account_id IS NOT NULL THEN CALL account_summary_tools(OLD.open_account_id); END IF;
END;
CREATE TRIGGER account_summary_case_set AFTER UPDATE ON reset_cases FOR EACH ROW
BEGIN
  IF NOT (OLD.open_account_id <=> NEW.open_account_id AND OLD.status <=> NEW.status) THEN
    IF NEW.open_account_id IS NOT NULL THEN CALL account_summary_tools(NEW.open_account_id); END IF;
    IF OLD.open_account_id IS NOT NULL AND NOT OLD.open_account_id <=> NEW.open_account_id THEN
      CALL account_summary_tools(OLD.open_account_id);
    END IF;
  END IF;
END;

CREATE TRIGGER account_summary_holds_in AFTER INSERT ON holds FOR EACH ROW CALL account_summary_holds(NEW.account_id);
CREATE TRIGGER account_summary_holds_out AFTER DELETE ON holds FOR EACH ROW CALL account_summary_holds(OLD.account_id);
CREATE TRIGGER account_summary_holds_set AFTER UPDATE ON holds FOR EACH ROW
BEGIN
  CALL account_summary_holds(NEW.account_id);
  IF NOT OLD.account_id <=> NEW.account_id THEN CALL account_summary_holds(OLD.account_id); END IF;
END;

CREATE TRIGGER account_summary_signins_in AFTER INSERT ON signins FOR EACH ROW CALL account_summary_signins(NEW.account_id);
CREATE TRIGGER account_summary_signins_out AFTER DELETE ON signins FOR EACH ROW CALL account_summary_signins(OLD.account_id);
CREATE TRIGGER account_summary_signins_set AFTER UPDATE ON signins FOR EACH ROW
BEGIN
  CALL account_summary_signins(NEW.account_id);
  IF NOT OLD.account_id <=> NEW.account_id THEN CALL account_summary_signins(OLD.account_id); END IF;
END;

CALL account_summaries_rebuild();

GRANT SELECT ON account_summaries TO 'rekey_app'@'localhost';
