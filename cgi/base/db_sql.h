/* base/db_sql.h -- THE array of SQL: every statement rekeyd and rekeyctl run,
 * always prepared, parameters bound, the parameter count checked when
 * prepared. X(id, params, text). Times are UTC (the session sets +00:00). */
#ifndef REKEY_DB_SQL_H
#define REKEY_DB_SQL_H

#define NOW6 "UTC_TIMESTAMP(6)"
#define TSFMT "'%Y-%m-%dT%H:%i:%s.%fZ'"

/* Parts shared by several statements: the bound security tools of account
 * ACC as three columns (TOTP bound, passkey count, confirmed phone); the
 * active withdrawal holds (latest end first) and the last 5 sign-ins, as
 * columns and the rest of the query. */
#define SQL_TOOLS_COLS(acc) \
	"(SELECT t.confirmed_at IS NOT NULL FROM totp_bindings t WHERE t.account_id = " acc "), " \
	"(SELECT COUNT(*) FROM passkeys p WHERE p.account_id = " acc " AND p.suspended_until IS NULL), " \
	"(SELECT ph.number FROM phones ph WHERE ph.account_id = " acc " AND ph.confirmed_at IS NOT NULL)"
#define SQL_HOLD_COLS "reason, source_event, DATE_FORMAT(starts_at, " TSFMT "), DATE_FORMAT(ends_at, " TSFMT ")"
#define SQL_HOLD_ROWS(acc) "FROM holds WHERE account_id = " acc " AND ends_at > " NOW6 " ORDER BY ends_at DESC, id DESC LIMIT 20"
#define SQL_SIGNIN_COLS "DATE_FORMAT(at, " TSFMT "), ip, country, device"
#define SQL_SIGNIN_ROWS(acc) "FROM signins WHERE account_id = " acc " ORDER BY at DESC LIMIT 5"

/* A live account session by its token hash (alias s; parameters: the
 * token hash, the idle seconds): the conditions of STMT_SESSION_LOOKUP, for
 * statements that check the session and read the page's data at once. */
#define SQL_SESSION_LIVE "s.token_hash = ? AND s.revoked_at IS NULL AND s.absolute_expires_at > " NOW6 " " \
	"AND s.last_seen_at > " NOW6 " - INTERVAL ? SECOND"

/* ... and a live reviewer session (alias s): STMT_RSESSION_LOOKUP's conditions */
#define SQL_RSESSION_LIVE "s.token_hash = ? AND s.revoked_at IS NULL AND s.absolute_expires_at > " NOW6 " " \
	"AND s.last_seen_at > " NOW6 " - INTERVAL ? SECOND"

/* The review queue (issue #21, schema/029): one class of due time (face,
 * questions_failed, documents) read in index order from the cursor on, a page
 * at most. Within a class due = submitted_at + the class's SLA hours, so
 * (submitted_at, id) order is (due, id) order, and the cursor (due time in
 * microseconds since 1970 UTC, case id) is the same bound moved back by the
 * SLA. The kind filter's constant guard ("kinds" the class can show) leaves
 * out a class that cannot match without reading it; the min-age filter also
 * bounds submitted_at, so that the range ends where the cases get too young.
 * The request's values come once, in the one-row table p (a merged CTE: its
 * columns are the parameters themselves, constants for the range). The
 * index is named: on a small class the optimizer would as soon take the
 * other one and sort the class (seen with 40 open cases), which is the cost
 * this is here to remove. */
#define SQL_QUEUE_CURSOR(sla) "TIMESTAMP'1970-01-01 00:00:00' + INTERVAL p.after_due MICROSECOND - INTERVAL " sla " HOUR"
#define SQL_QUEUE_KIND "IF(c.route = 'documents' AND c.questions_attempts > 0, 'questions_failed', c.route)"
/* the tier from the value the case carries (schema/033: its account's, kept by triggers), as the counts read it */
#define SQL_QUEUE_TIER "IF(c.queue_value_cents >= p.high, 'high', 'standard')"
#define SQL_QUEUE_CLASS(cls, sla, idx, status, kinds) \
	"(SELECT c.id, " SQL_QUEUE_KIND " AS kind, c.queue_status AS qstatus, " SQL_QUEUE_TIER " AS tier, " \
	"c.submitted_at, c.account_id, c.claimed_by, c.claim_seen_at, COALESCE(a.language, '') AS language, " \
	"c.submitted_at + INTERVAL " sla " HOUR AS due_at FROM reset_cases c FORCE INDEX (" idx ") JOIN accounts a ON a.id = c.account_id JOIN p " \
	"WHERE c.queue_class = '" cls "'" status " AND (p.kind = '' OR (p.kind IN (" kinds ") AND " SQL_QUEUE_KIND " = p.kind)) " \
	"AND (p.tier = '' OR " SQL_QUEUE_TIER " = p.tier) AND TIMESTAMPDIFF(HOUR, c.submitted_at, " NOW6 ") >= p.min_age " \
	"AND (p.min_age = 0 OR c.submitted_at <= " NOW6 " - INTERVAL p.min_age HOUR) AND (c.submitted_at > " SQL_QUEUE_CURSOR(sla) " " \
	"OR (c.submitted_at = " SQL_QUEUE_CURSOR(sla) " AND c.id > p.after_id)) ORDER BY c.submitted_at, c.id LIMIT ?)"
/* the three classes merged: at most three pages sorted; the claim's holder for those only. Parameters: high value,
 * the SLA hours of face, questions failed and documents, kind, tier, min age, cursor due, cursor id,
 * claim minutes; each class's [status and] page size; the page size (queue_args() in api/review.c). The status is
 * compared as a parameter, not p's column, so that it keys the index like a constant of the statement would. */
#define SQL_QUEUE_PAGE(idx, status) "WITH p AS (SELECT ? AS high, ? AS sla_face, ? AS sla_questions_failed, ? AS sla_documents, " \
	"? AS kind, ? AS tier, ? AS min_age, ? AS after_due, ? AS after_id, ? AS claim_minutes) " \
	"SELECT q.id, q.kind, q.qstatus, q.tier, DATE_FORMAT(q.submitted_at, " TSFMT "), " \
	"DATE_FORMAT(q.due_at, " TSFMT "), q.account_id, COALESCE(rv.email, ''), q.due_at < " NOW6 ", " \
	"TIMESTAMPDIFF(HOUR, q.submitted_at, " NOW6 "), CAST(UNIX_TIMESTAMP(q.due_at) * 1000000 AS UNSIGNED) AS due_us, q.language FROM p JOIN (" \
	SQL_QUEUE_CLASS("face", "p.sla_face", idx, status, "'face'") " UNION ALL " \
	SQL_QUEUE_CLASS("questions_failed", "p.sla_questions_failed", idx, status, "'questions_failed', 'questions'") " UNION ALL " \
	SQL_QUEUE_CLASS("documents", "p.sla_documents", idx, status, "'documents', 'questions'") ") q " \
	"LEFT JOIN reviewers rv ON rv.id = q.claimed_by AND q.claim_seen_at > " NOW6 " - INTERVAL p.claim_minutes MINUTE ORDER BY due_us, q.id LIMIT ?"

/* audit-verify --since: one chain's entries from a seq on */
#define SQL_SINCE_PAIR "(chain_id = ? AND seq >= ?)"

/* The one statement that cannot be prepared (DDL takes no parameters):
 * rekeyctl migrate unlocks rekeyd's own users with it. db_unlock_user()
 * fills it only with a checked user name and password (base/db.c). */
#define SQL_UNLOCK_USER "ALTER USER '%s'@'localhost' IDENTIFIED BY '%s' ACCOUNT UNLOCK"

#define SQL_TABLE(X) \
	X(STMT_SET_ISOLATION, 0, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED") \
	X(STMT_SET_TZ, 0, "SET time_zone = '+00:00'") \
	/* Galera: is this node one to use (wsrep_ready ON, wsrep_local_state 4 \
	 * Synced)? wsrep_on 0: a plain server, always. The columns: wsrep_on, \
	 * node name, ready, state, state comment, cluster size, cluster status. \
	 * Scalar subqueries, not one pass with FROM information_schema.GLOBAL_STATUS: \
	 * in a query over that table @@wsrep_on reads 0 on a Galera node (10.11) */ \
	X(STMT_NODE_STATE, 0, "SELECT @@wsrep_on, @@wsrep_node_name, " \
	    "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_READY'), " \
	    "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE'), " \
	    "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'), " \
	    "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_CLUSTER_SIZE'), " \
	    "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_CLUSTER_STATUS')") \
	X(STMT_SET_SYNC_WAIT, 1, "SET SESSION wsrep_sync_wait = ?") \
	/* a request's write transaction's witness (db.c, schema/032): first, a \
	 * token of its own on this process's row; before COMMIT the \
	 * token must still be there (moved to a second one in the same \
	 * statement), after COMMIT the second one must be there */ \
	X(STMT_WITNESS_SET, 2, "INSERT INTO tx_witness (id, token, at) VALUES (?, ?, " NOW6 ") " \
	    "ON DUPLICATE KEY UPDATE token = VALUES(token), at = VALUES(at)") \
	X(STMT_WITNESS_MOVE, 3, "UPDATE tx_witness SET token = ? WHERE id = ? AND token = ?") \
	X(STMT_WITNESS_GET, 1, "SELECT token FROM tx_witness WHERE id = ?") \
	/* (on Galera: our own row, written through this node; no causal wait) */ \
	X(STMT_WITNESS_GET_NOWAIT, 1, "SET STATEMENT wsrep_sync_wait = 0 FOR SELECT token FROM tx_witness WHERE id = ?") \
	X(STMT_MIGRATIONS_CREATE, 0, "CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, " \
	    "name VARCHAR(200) NOT NULL, applied_at DATETIME(6) NOT NULL) ENGINE=InnoDB") \
	X(STMT_MIGRATION_APPLIED, 1, "SELECT name FROM schema_migrations WHERE version = ?") \
	X(STMT_MIGRATION_ADD, 2, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, " NOW6 ")") \
	X(STMT_SCHEMA_VERSION, 0, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations") \
	/* accounts */ \
	X(STMT_ACCOUNT_BY_EMAIL, 1, "SELECT id, password_hash, frozen FROM accounts WHERE email = ?") \
	X(STMT_ACCOUNT_INSERT, 6, "INSERT INTO accounts (email, password_hash, user_handle, identity_status, " \
	    "asset_value_cents, display_name, created_at) VALUES (?, ?, ?, ?, ?, ?, " NOW6 " - INTERVAL 400 DAY)") \
	X(STMT_ACCOUNT_EXISTS, 1, "SELECT id FROM accounts WHERE id = ?") \
	/* the account's language (#20): its pages, mails and SMS; FIRST only where none was chosen */ \
	X(STMT_ACCOUNT_LANGUAGE, 1, "SELECT COALESCE(language, '') FROM accounts WHERE id = ?") \
	X(STMT_ACCOUNT_LANGUAGE_SET, 2, "UPDATE accounts SET language = ? WHERE id = ?") \
	X(STMT_ACCOUNT_LANGUAGE_FIRST, 2, "UPDATE accounts SET language = ? WHERE id = ? AND language IS NULL") \
	X(STMT_ACCOUNT_GET, 1, "SELECT id, email, identity_status, asset_value_cents, display_name, frozen, " \
	    "no_passkey_protection, DATE_FORMAT(created_at, " TSFMT ") FROM accounts WHERE id = ?") \
	/* GET /api/me in one round trip (issue #21): the session check -- the \
	 * token's session live (not revoked, within its absolute and idle \
	 * expiry), its account not frozen -- and the page's data in one row read \
	 * by key: the summary the database keeps for the account (schema/031, \
	 * 035, 037), whose document is the page's own members as the page \
	 * sends them (037: the account, the last sign-ins, freeze code (#18), \
	 * open case (#23)), remade by triggers in the transactions that change \
	 * them; its tools and holds columns beside it. No row means no session \
	 * (401). Columns: the session's id, account, stage and idle seconds \
	 * (0-3: the once-a-minute touch), the asset value (4: the tier), the \
	 * document (5), the database's now (6: the reader drops the holds ended \
	 * by then), the tools (7-9: TOTP, passkeys, phone), the holds (10). */ \
	X(STMT_ME_SIGNED_IN, 2, "SELECT s.id, s.account_id, s.stage, TIMESTAMPDIFF(SECOND, s.last_seen_at, " NOW6 "), m.asset_value_cents, m.doc, " \
	    "DATE_FORMAT(" NOW6 ", " TSFMT "), m.totp, m.passkeys, m.phone, m.holds " \
	    "FROM sessions s JOIN account_summaries m ON m.account_id = s.account_id " \
	    "WHERE " SQL_SESSION_LIVE " AND m.frozen = 0") \
	/* the kept summaries against the view that makes them set-wise (schema/031, 035): \
	 * accounts whose row is missing or differs (rekeyctl summaries check) */ \
	X(STMT_SUMMARY_DIFFER, 0, "SELECT f.account_id FROM account_summaries_whole f LEFT JOIN account_summaries m ON m.account_id = f.account_id " \
	    "WHERE m.account_id IS NULL OR NOT (m.totp <=> f.totp AND m.passkeys <=> f.passkeys AND m.phone <=> f.phone " \
	    "AND m.freeze_at <=> f.freeze_at AND m.freeze_used <=> f.freeze_used AND m.case_id <=> f.case_id " \
	    "AND m.case_status <=> f.case_status AND m.holds <=> f.holds AND m.signins <=> f.signins " \
	    "AND m.frozen <=> f.frozen AND m.asset_value_cents <=> f.asset_value_cents AND m.doc <=> f.doc) ORDER BY f.account_id LIMIT 1000") \
	X(STMT_SUMMARY_REBUILD, 0, "CALL account_summaries_rebuild()") \
	/* sessions */ \
	X(STMT_SESSION_INSERT, 7, "INSERT INTO sessions (token_hash, account_id, stage, created_at, last_seen_at, " \
	    "absolute_expires_at, ip, user_agent, stepped_up_at) VALUES (?, ?, ?, " NOW6 ", " NOW6 ", " NOW6 " + INTERVAL ? SECOND, ?, ?, " \
	    "IF(? = 1, " NOW6 ", NULL))") \
	X(STMT_SESSION_LOOKUP, 2, "SELECT s.id, s.account_id, s.stage, TIMESTAMPDIFF(SECOND, s.last_seen_at, " NOW6 ") " \
	    "FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ? AND s.revoked_at IS NULL " \
	    "AND s.absolute_expires_at > " NOW6 " AND s.last_seen_at > " NOW6 " - INTERVAL ? SECOND AND a.frozen = 0") \
	X(STMT_SESSION_TOUCH, 1, "UPDATE sessions SET last_seen_at = " NOW6 " WHERE id = ? AND revoked_at IS NULL") \
	X(STMT_SESSION_PROMOTE, 2, "UPDATE sessions SET stage = 'full', token_hash = ?, stepped_up_at = " NOW6 " " \
	    "WHERE id = ? AND stage = 'partial' AND revoked_at IS NULL") \
	/* step-up: the last use of a second factor in this session, and whether it is recent */ \
	X(STMT_SESSION_STEP_UP, 1, "UPDATE sessions SET stepped_up_at = " NOW6 " WHERE id = ? AND revoked_at IS NULL") \
	X(STMT_SESSION_STEPPED_UP, 3, "SELECT stepped_up_at IS NOT NULL AND stepped_up_at > " NOW6 " - INTERVAL ? SECOND, " \
	    "IFNULL(DATE_FORMAT(stepped_up_at + INTERVAL ? SECOND, " TSFMT "), '') FROM sessions WHERE id = ?") \
	X(STMT_SESSION_REVOKE, 2, "UPDATE sessions SET revoked_at = " NOW6 " WHERE id = ? AND account_id = ? AND revoked_at IS NULL") \
	X(STMT_SESSION_REVOKE_ALL, 1, "UPDATE sessions SET revoked_at = " NOW6 " WHERE account_id = ? AND revoked_at IS NULL") \
	/* sign out everywhere else (#23): every other live session of the account, in one statement */ \
	X(STMT_SESSION_REVOKE_OTHERS, 2, "UPDATE sessions SET revoked_at = " NOW6 " WHERE account_id = ? AND id <> ? AND revoked_at IS NULL") \
	/* passwords (#23): change, and the forgotten-password flow (schema 024) */ \
	X(STMT_ACCOUNT_PASSWORD_SET, 2, "UPDATE accounts SET password_hash = ? WHERE id = ?") \
	X(STMT_PWRESET_INSERT, 4, "INSERT INTO password_resets (browser_hash, email, account_id, created_at, expires_at) " \
	    "VALUES (?, ?, ?, " NOW6 ", " NOW6 " + INTERVAL ? SECOND)") \
	X(STMT_PWRESET_GET, 1, "SELECT id, email, account_id, state, code_tries, factor_tries, expires_at <= " NOW6 ", factor " \
	    "FROM password_resets WHERE browser_hash = ? FOR UPDATE") \
	X(STMT_PWRESET_CODE_TRY, 2, "UPDATE password_resets SET code_tries = code_tries + 1 WHERE id = ? AND state = 'code' AND code_tries < ?") \
	X(STMT_PWRESET_FACTOR_TRY, 2, "UPDATE password_resets SET factor_tries = factor_tries + 1 WHERE id = ? AND state = 'factor' AND factor_tries < ?") \
	X(STMT_PWRESET_MOVE, 3, "UPDATE password_resets SET state = ? WHERE id = ? AND state = ?") \
	X(STMT_PWRESET_FACTOR_OK, 2, "UPDATE password_resets SET state = 'password', factor = ? WHERE id = ? AND state = 'factor'") \
	X(STMT_PWRESET_FINISH, 1, "UPDATE password_resets SET state = 'done', finished_at = " NOW6 " WHERE id = ? AND state = 'password'") \
	X(STMT_SESSION_LIST, 2, "SELECT id, stage, DATE_FORMAT(created_at, " TSFMT "), DATE_FORMAT(last_seen_at, " TSFMT "), ip, user_agent " \
	    "FROM sessions WHERE account_id = ? AND revoked_at IS NULL AND absolute_expires_at > " NOW6 " " \
	    "AND last_seen_at > " NOW6 " - INTERVAL ? SECOND ORDER BY id DESC LIMIT 50") \
	X(STMT_SIGNIN_INSERT, 3, "INSERT INTO signins (account_id, at, ip, device) VALUES (?, " NOW6 ", ?, ?)") \
	/* (device, account): earlier sign-ins, and those from this device */ \
	X(STMT_SIGNIN_SEEN, 2, "SELECT COUNT(*), COALESCE(SUM(device = ?), 0) FROM signins WHERE account_id = ?") \
	X(STMT_SIGNIN_RECENT, 1, "SELECT " SQL_SIGNIN_COLS " " SQL_SIGNIN_ROWS("?")) \
	X(STMT_SIGNIN_INSERT_AT, 5, "INSERT INTO signins (account_id, at, ip, country, device) VALUES (?, " NOW6 " - INTERVAL ? HOUR, ?, ?, ?)") \
	/* rate limits: open the window, then one conditional UPDATE decides */ \
	/* one hit, one statement (bucket, window seconds, limit): a new bucket or an \
	 * ended window counts 1, a live one under the limit one more, a full one \
	 * nothing -- so 0 rows changed means refused (the row lock orders racers; \
	 * hits is assigned before window_end, each from the row as it was) */ \
	X(STMT_RATE_HIT, 3, "INSERT INTO rate_limits (bucket, window_end, hits) VALUES (?, " NOW6 " + INTERVAL ? SECOND, 1) " \
	    "ON DUPLICATE KEY UPDATE hits = IF(window_end <= " NOW6 ", 1, IF(hits < ?, hits + 1, hits)), " \
	    "window_end = IF(window_end <= " NOW6 ", VALUES(window_end), window_end)") \
	X(STMT_RATE_CLEAR, 1, "DELETE FROM rate_limits WHERE bucket = ?") \
	/* one-time codes */ \
	X(STMT_CODE_RETIRE, 3, "UPDATE codes SET used_at = " NOW6 " WHERE account_id = ? AND purpose = ? AND bound_to = ? AND used_at IS NULL") \
	X(STMT_CODE_INSERT, 6, "INSERT INTO codes (account_id, purpose, bound_to, channel, code_hash, created_at, expires_at) " \
	    "VALUES (?, ?, ?, ?, ?, " NOW6 ", " NOW6 " + INTERVAL ? SECOND)") \
	X(STMT_CODE_LATEST, 3, "SELECT id, code_hash, tries, expires_at > " NOW6 ", used_at IS NULL FROM codes " \
	    "WHERE account_id = ? AND purpose = ? AND bound_to = ? ORDER BY id DESC LIMIT 1") \
	X(STMT_CODE_USE, 2, "UPDATE codes SET used_at = " NOW6 " WHERE id = ? AND used_at IS NULL AND tries < ? AND expires_at > " NOW6) \
	X(STMT_CODE_FAIL, 2, "UPDATE codes SET tries = tries + 1 WHERE id = ? AND used_at IS NULL AND tries < ?") \
	/* security tools */ \
	X(STMT_TOTP_PENDING, 3, "INSERT INTO totp_bindings (account_id, secret_sealed, key_id, created_at) VALUES (?, ?, ?, " NOW6 ") " \
	    "ON DUPLICATE KEY UPDATE secret_sealed = IF(confirmed_at IS NULL, VALUES(secret_sealed), secret_sealed), " \
	    "key_id = IF(confirmed_at IS NULL, VALUES(key_id), key_id), " \
	    "created_at = IF(confirmed_at IS NULL, VALUES(created_at), created_at)") \
	X(STMT_TOOLS_SUMMARY, 1, "SELECT " SQL_TOOLS_COLS("a.id") " FROM accounts a WHERE a.id = ?") \
	X(STMT_TOTP_GET, 1, "SELECT secret_sealed, confirmed_at IS NOT NULL, last_step, key_id FROM totp_bindings WHERE account_id = ?") \
	X(STMT_TOTP_CONFIRM, 3, "UPDATE totp_bindings SET confirmed_at = " NOW6 ", last_step = ? WHERE account_id = ? " \
	    "AND confirmed_at IS NULL AND last_step < ?") \
	X(STMT_TOTP_USE_STEP, 3, "UPDATE totp_bindings SET last_step = ? WHERE account_id = ? AND confirmed_at IS NOT NULL AND last_step < ?") \
	X(STMT_PHONE_PENDING, 2, "INSERT INTO phones (account_id, number, created_at) VALUES (?, ?, " NOW6 ") " \
	    "ON DUPLICATE KEY UPDATE number = IF(confirmed_at IS NULL, VALUES(number), number)") \
	X(STMT_PHONE_GET, 1, "SELECT number, confirmed_at IS NOT NULL FROM phones WHERE account_id = ?") \
	X(STMT_PHONE_CONFIRM, 1, "UPDATE phones SET confirmed_at = " NOW6 " WHERE account_id = ? AND confirmed_at IS NULL") \
	/* holds: rows only ever added; the effective end is the latest end */ \
	X(STMT_HOLD_INSERT, 4, "INSERT INTO holds (account_id, reason, source_event, starts_at, ends_at) " \
	    "VALUES (?, ?, ?, " NOW6 ", " NOW6 " + INTERVAL ? SECOND)") \
	X(STMT_HOLD_ACTIVE, 1, "SELECT " SQL_HOLD_COLS " " SQL_HOLD_ROWS("?")) \
	/* audit: the head row is the chain's lock */ \
	X(STMT_AUDIT_HEAD_INIT, 2, "INSERT IGNORE INTO audit_heads (chain_id, seq, hash) VALUES (?, 0, ?)") \
	X(STMT_AUDIT_HEAD_LOCK, 1, "SELECT seq, hash, DATE_FORMAT(" NOW6 ", " TSFMT ") FROM audit_heads WHERE chain_id = ? FOR UPDATE") \
	X(STMT_AUDIT_INSERT, 9, "INSERT INTO audit_log (chain_id, seq, event, actor, ip, detail, created_at, prev_hash, hash) " \
	    "VALUES (?, ?, ?, ?, ?, ?, STR_TO_DATE(?, " TSFMT "), ?, ?)") \
	X(STMT_AUDIT_CHAINS, 0, "SELECT chain_id, seq, hash FROM audit_heads ORDER BY chain_id") \
	X(STMT_NOW, 0, "SELECT DATE_FORMAT(" NOW6 ", " TSFMT ")") \
	X(STMT_AUDIT_ENTRY_HASH, 2, "SELECT hash FROM audit_log WHERE chain_id = ? AND seq = ?") \
	/* audit-verify: the entries of a run of chains at once (first chain, last chain), in chain and seq order */ \
	X(STMT_AUDIT_ROWS_RANGE, 2, "SELECT chain_id, seq, event, actor, ip, detail, DATE_FORMAT(created_at, " TSFMT "), prev_hash, hash " \
	    "FROM audit_log WHERE chain_id >= ? AND chain_id <= ? ORDER BY chain_id, seq") \
	/* audit-verify --since (incremental): every head with its own entry's hash, one pass */ \
	X(STMT_AUDIT_HEADS_ENTRY, 0, "SELECT h.chain_id, h.seq, h.hash, l.hash FROM audit_heads h " \
	    "LEFT JOIN audit_log l ON l.chain_id = h.chain_id AND l.seq = h.seq ORDER BY h.chain_id") \
	/* ... and the entries of twelve chains, each from its own first seq, in chain and seq order (a range per chain on the \
	 * primary key; audit.c SINCE_BATCH) */ \
	X(STMT_AUDIT_ROWS_SINCE, 24, "SELECT chain_id, seq, event, actor, ip, detail, DATE_FORMAT(created_at, " TSFMT "), prev_hash, hash " \
	    "FROM audit_log WHERE " SQL_SINCE_PAIR " OR " SQL_SINCE_PAIR " OR " SQL_SINCE_PAIR " OR " SQL_SINCE_PAIR " OR " SQL_SINCE_PAIR " OR " \
	    SQL_SINCE_PAIR " OR " SQL_SINCE_PAIR " OR " SQL_SINCE_PAIR " OR " SQL_SINCE_PAIR " OR " SQL_SINCE_PAIR " OR " SQL_SINCE_PAIR " OR " \
	    SQL_SINCE_PAIR " ORDER BY chain_id, seq") \
	X(STMT_AUDIT_RECENT, 1, "SELECT seq, event, DATE_FORMAT(created_at, " TSFMT "), detail FROM audit_log WHERE chain_id = ? ORDER BY seq DESC LIMIT 20") \
	/* outbox */ \
	X(STMT_OUTBOX_INSERT, 5, "INSERT INTO outbox (account_id, channel, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?, " NOW6 ")") \
	/* a notice to every channel: the account's email, every confirmed second \
	 * address (#17), the confirmed phone; (subject, body, account, subject, \
	 * body, account, sms, account) */ \
	X(STMT_OUTBOX_NOTIFY, 8, "INSERT INTO outbox (account_id, channel, recipient, subject, body, created_at) " \
	    "SELECT a.id, 'email', a.email, ?, ?, " NOW6 " FROM accounts a WHERE a.id = ? " \
	    "UNION ALL SELECT c.account_id, 'email', c.email, ?, ?, " NOW6 " FROM contacts c " \
	    "WHERE c.account_id = ? AND c.confirmed_at IS NOT NULL " \
	    "UNION ALL SELECT p.account_id, 'sms', p.number, 'notice', ?, " NOW6 " FROM phones p " \
	    "WHERE p.account_id = ? AND p.confirmed_at IS NOT NULL") \
	/* the anti-phishing code shown in every mail (#17) */ \
	X(STMT_ANTI_PHISHING_GET, 1, "SELECT COALESCE(anti_phishing, '') FROM accounts WHERE id = ?") \
	X(STMT_ANTI_PHISHING_SET, 2, "UPDATE accounts SET anti_phishing = ? WHERE id = ?") \
	/* saved recovery codes (#17, store/recovery.c): a new set voids the old; \
	 * a code is spent by one conditional UPDATE */ \
	X(STMT_RECOVERY_VOID, 1, "UPDATE recovery_codes SET voided_at = " NOW6 " WHERE account_id = ? AND voided_at IS NULL") \
	X(STMT_RECOVERY_INSERT, 3, "INSERT INTO recovery_codes (account_id, set_id, code_hash, created_at) VALUES (?, ?, ?, " NOW6 ")") \
	X(STMT_RECOVERY_STATUS, 1, "SELECT COALESCE(SUM(used_at IS NULL), 0), DATE_FORMAT(MIN(created_at), " TSFMT ") FROM recovery_codes " \
	    "WHERE account_id = ? AND voided_at IS NULL") \
	X(STMT_RECOVERY_USE, 2, "UPDATE recovery_codes SET used_at = " NOW6 " WHERE account_id = ? AND code_hash = ? " \
	    "AND used_at IS NULL AND voided_at IS NULL") \
	/* second notification addresses (#17) */ \
	X(STMT_CONTACT_LIST, 1, "SELECT id, email, confirmed_at IS NOT NULL, DATE_FORMAT(created_at, " TSFMT ") FROM contacts " \
	    "WHERE account_id = ? ORDER BY id") \
	X(STMT_CONTACT_INSERT, 2, "INSERT INTO contacts (account_id, email, created_at) VALUES (?, ?, " NOW6 ")") \
	X(STMT_CONTACT_BY_EMAIL, 2, "SELECT id, confirmed_at IS NOT NULL FROM contacts WHERE account_id = ? AND email = ? FOR UPDATE") \
	X(STMT_CONTACT_GET, 2, "SELECT id, email, confirmed_at IS NOT NULL FROM contacts WHERE id = ? AND account_id = ? FOR UPDATE") \
	X(STMT_CONTACT_CONFIRM, 2, "UPDATE contacts SET confirmed_at = " NOW6 " WHERE id = ? AND account_id = ? AND confirmed_at IS NULL") \
	X(STMT_CONTACT_DELETE, 2, "DELETE FROM contacts WHERE id = ? AND account_id = ?") \
	X(STMT_CONTACT_COUNT, 1, "SELECT COUNT(*) FROM contacts WHERE account_id = ?") \
	X(STMT_OUTBOX_CLAIM, 0, "SELECT id, channel, recipient, subject, body, DATE_FORMAT(created_at, '%a, %d %b %Y %H:%i:%s +0000') " \
	    "FROM outbox WHERE sent_at IS NULL AND attempts < 12 AND (next_attempt_at IS NULL OR next_attempt_at <= " NOW6 ") " \
	    "ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED") \
	X(STMT_OUTBOX_SENT, 1, "UPDATE outbox SET sent_at = " NOW6 " WHERE id = ?") \
	/* back-off: 2, 4, 8 ... seconds, at most an hour */ \
	X(STMT_OUTBOX_FAILED, 2, "UPDATE outbox SET attempts = attempts + 1, last_error = ?, " \
	    "next_attempt_at = " NOW6 " + INTERVAL LEAST(3600, POW(2, attempts + 1)) SECOND WHERE id = ?") \
	X(STMT_OUTBOX_LIST, 0, "SELECT id, channel, recipient, subject, body, DATE_FORMAT(created_at, " TSFMT "), sent_at IS NOT NULL " \
	    "FROM outbox ORDER BY id DESC LIMIT 100") \
	/* the sweep (jobs/sweep.c, schema/013): (hours past the end, batch size) */ \
	X(STMT_SWEEP_CHALLENGES, 2, "DELETE FROM webauthn_challenges WHERE expires_at < " NOW6 " - INTERVAL ? HOUR LIMIT ?") \
	X(STMT_SWEEP_CODES, 2, "DELETE FROM codes WHERE expires_at < " NOW6 " - INTERVAL ? HOUR LIMIT ?") \
	X(STMT_SWEEP_RATE_LIMITS, 2, "DELETE FROM rate_limits WHERE window_end < " NOW6 " - INTERVAL ? HOUR LIMIT ?") \
	X(STMT_SWEEP_RESET_FLOWS, 2, "DELETE FROM reset_flows WHERE expires_at < " NOW6 " - INTERVAL ? HOUR AND case_id IS NULL " \
	    "AND NOT EXISTS (SELECT 1 FROM face_handoffs h WHERE h.flow_id = reset_flows.id) LIMIT ?") \
	/* suspended passkeys whose dispute window ended (schema/018); (hours past the end, batch) */ \
	X(STMT_SWEEP_SUSPENDED, 2, "DELETE FROM passkeys WHERE suspended_until < " NOW6 " - INTERVAL ? HOUR LIMIT ?") \
	/* delivered mail keeps no body (codes, links): the last week's, by the sent_at index; (hours, batch) */ \
	/* the witness rows of rekeyd processes gone (schema/032): untouched for the given hours; (hours, batch) */ \
	X(STMT_SWEEP_WITNESS, 2, "DELETE FROM tx_witness WHERE at < " NOW6 " - INTERVAL ? HOUR LIMIT ?") \
	X(STMT_SWEEP_OUTBOX, 2, "UPDATE outbox SET body = '' WHERE sent_at >= " NOW6 " - INTERVAL ? HOUR AND body <> '' LIMIT ?") \
	/* passkeys */ \
	X(STMT_ACCOUNT_WEBAUTHN, 1, "SELECT user_handle, email, display_name, frozen FROM accounts WHERE id = ?") \
	X(STMT_ACCOUNT_PROTECTED, 1, "UPDATE accounts SET no_passkey_protection = 0 WHERE id = ?") \
	X(STMT_PASSKEY_INSERT, 13, "INSERT INTO passkeys (account_id, credential_id, cose_alg, public_key, cose_key, sign_count, " \
	    "uv_initialized, backup_eligible, backup_state, aaguid, attestation_fmt, transports, name, created_at) " \
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " NOW6 ")") \
	/* with the owner's user handle and lock state; no row lock: the counter's conditional UPDATE decides races */ \
	X(STMT_PASSKEY_BY_CREDENTIAL, 1, "SELECT p.id, p.account_id, p.cose_alg, p.public_key, p.sign_count, p.backup_eligible, p.backup_state, p.name, " \
	    "a.user_handle, a.frozen, p.suspended_until IS NOT NULL FROM passkeys p JOIN accounts a ON a.id = p.account_id WHERE p.credential_id = ?") \
	X(STMT_PASSKEY_LIST, 1, "SELECT id, name, cose_alg, sign_count, backup_eligible, backup_state, LOWER(HEX(aaguid)), attestation_fmt, " \
	    "transports, DATE_FORMAT(created_at, " TSFMT "), DATE_FORMAT(last_used_at, " TSFMT "), DATE_FORMAT(suspended_until, " TSFMT "), credential_id " \
	    "FROM passkeys WHERE account_id = ? ORDER BY id") \
	/* suspended passkeys (schema/018) sign nothing: left out of every list a ceremony or a count reads */ \
	X(STMT_PASSKEY_LIST_IDS, 1, "SELECT id, credential_id FROM passkeys WHERE account_id = ? AND suspended_until IS NULL ORDER BY id") \
	X(STMT_PASSKEY_CREDENTIALS, 1, "SELECT credential_id, transports FROM passkeys WHERE account_id = ? AND suspended_until IS NULL ORDER BY id") \
	X(STMT_PASSKEY_LOCK, 2, "SELECT id FROM passkeys WHERE id = ? AND account_id = ? AND suspended_until IS NULL FOR UPDATE") \
	X(STMT_PASSKEY_RENAME, 3, "UPDATE passkeys SET name = ? WHERE id = ? AND account_id = ?") \
	/* the counter moves only from the value this request read: two racing assertions, one winner */ \
	X(STMT_PASSKEY_USE, 4, "UPDATE passkeys SET sign_count = ?, backup_state = ?, last_used_at = " NOW6 " " \
	    "WHERE id = ? AND sign_count = ?") \
	X(STMT_CHALLENGE_INSERT, 5, "INSERT INTO webauthn_challenges (challenge, ceremony, session_id, browser_hash, account_id, " \
	    "created_at, expires_at) VALUES (?, ?, ?, ?, ?, " NOW6 ", " NOW6 " + INTERVAL 300 SECOND)") \
	X(STMT_CHALLENGE_GET, 1, "SELECT id, ceremony, session_id, browser_hash, account_id, used_at IS NOT NULL, expires_at <= " NOW6 " " \
	    "FROM webauthn_challenges WHERE challenge = ? FOR UPDATE") \
	X(STMT_CHALLENGE_USE, 1, "UPDATE webauthn_challenges SET used_at = " NOW6 " WHERE id = ? AND used_at IS NULL") \
	/* the common case in one statement: this ceremony's live challenge, bound to this session or this browser */ \
	X(STMT_CHALLENGE_TAKE, 4, "UPDATE webauthn_challenges SET used_at = " NOW6 " WHERE challenge = ? AND ceremony = ? " \
	    "AND used_at IS NULL AND expires_at > " NOW6 " AND ((session_id IS NOT NULL AND session_id = ?) OR (session_id IS NULL AND browser_hash = ?))") \
	/* the delete flow: state moves by conditional UPDATE from the state read */ \
	X(STMT_DFLOW_INSERT, 4, "INSERT INTO delete_flows (account_id, session_id, passkey_id, state, created_at, expires_at) " \
	    "VALUES (?, ?, ?, 'confirm', " NOW6 ", " NOW6 " + INTERVAL ? SECOND)") \
	X(STMT_DFLOW_GET, 3, "SELECT id, passkey_id, state, email_tries, factor_tries, expires_at <= " NOW6 ", " \
	    "DATE_FORMAT(expires_at, " TSFMT ") FROM delete_flows WHERE id = ? AND account_id = ? AND session_id = ? FOR UPDATE") \
	X(STMT_DFLOW_MOVE, 3, "UPDATE delete_flows SET state = ? WHERE id = ? AND state = ?") \
	X(STMT_DFLOW_FINISH, 3, "UPDATE delete_flows SET state = 'deleted', factor = ?, finish_token = ?, finished_at = " NOW6 " " \
	    "WHERE id = ? AND state = 'second_factor' AND expires_at > " NOW6) \
	/* did this request finish it? (schema/028: the token the completion wrote) */ \
	X(STMT_DFLOW_FINISHED_BY, 2, "SELECT state, finish_token <=> ? FROM delete_flows WHERE id = ?") \
	X(STMT_DFLOW_EMAIL_TRY, 2, "UPDATE delete_flows SET email_tries = email_tries + 1 WHERE id = ? AND email_tries < ?") \
	X(STMT_DFLOW_FACTOR_TRY, 2, "UPDATE delete_flows SET factor_tries = factor_tries + 1 WHERE id = ? AND factor_tries < ?") \
	X(STMT_PASSKEY_NAME, 2, "SELECT name FROM passkeys WHERE id = ? AND account_id = ? AND suspended_until IS NULL") \
	X(STMT_ACCOUNT_UNPROTECTED, 1, "UPDATE accounts SET no_passkey_protection = 1 WHERE id = ?") \
	/* a notice's plain "this was not me" freeze link (kind 'freeze'; base/mail.c) */ \
	X(STMT_FREEZE_INSERT, 4, "INSERT INTO freeze_links (account_id, token_hash, source, created_at, expires_at) " \
	    "VALUES (?, ?, ?, " NOW6 ", " NOW6 " + INTERVAL ? HOUR)") \
	X(STMT_FREEZE_GET, 1, "SELECT id, account_id, used_at IS NOT NULL, expires_at <= " NOW6 ", kind, COALESCE(DATE_FORMAT(event_at, " TSFMT "), ''), " \
	    "source FROM freeze_links WHERE token_hash = ? FOR UPDATE") \
	X(STMT_FREEZE_USE, 1, "UPDATE freeze_links SET used_at = " NOW6 " WHERE id = ? AND used_at IS NULL") \
	X(STMT_ACCOUNT_FREEZE, 1, "UPDATE accounts SET frozen = 1 WHERE id = ?") \
	/* a fraudulent reset can be undone (store/dispute.c, schema/018). AT is the \
	 * event's time as TSFMT text, read once, so that the suspension, the link \
	 * and "bound since" all name the same instant */ \
	X(STMT_ACCOUNT_UNFREEZE, 1, "UPDATE accounts SET frozen = 0 WHERE id = ?") \
	X(STMT_ACCOUNT_LOCK, 1, "SELECT frozen FROM accounts WHERE id = ? FOR UPDATE") \
	/* (at, at, hours, source, account, passkey or 0 for all, passkey) */ \
	X(STMT_PASSKEYS_SUSPEND, 7, "UPDATE passkeys SET suspended_at = STR_TO_DATE(?, " TSFMT "), " \
	    "suspended_until = STR_TO_DATE(?, " TSFMT ") + INTERVAL ? HOUR, suspended_source = ? " \
	    "WHERE account_id = ? AND suspended_until IS NULL AND (? = 0 OR id = ?)") \
	/* (account, token hash, source, at, case or NULL, at, hours) */ \
	X(STMT_UNDO_LINK_INSERT, 7, "INSERT INTO freeze_links (account_id, token_hash, source, kind, event_at, case_id, created_at, expires_at) " \
	    "VALUES (?, ?, ?, 'undo', STR_TO_DATE(?, " TSFMT "), ?, " NOW6 ", STR_TO_DATE(?, " TSFMT ") + INTERVAL ? HOUR)") \
	X(STMT_UNDO_REVOKE_PASSKEYS, 2, "DELETE FROM passkeys WHERE account_id = ? AND created_at > STR_TO_DATE(?, " TSFMT ")") \
	X(STMT_UNDO_REVOKE_TOTP, 3, "DELETE FROM totp_bindings WHERE account_id = ? AND (created_at > STR_TO_DATE(?, " TSFMT ") " \
	    "OR confirmed_at > STR_TO_DATE(?, " TSFMT "))") \
	X(STMT_UNDO_REVOKE_PHONE, 3, "DELETE FROM phones WHERE account_id = ? AND (created_at > STR_TO_DATE(?, " TSFMT ") " \
	    "OR confirmed_at > STR_TO_DATE(?, " TSFMT "))") \
	/* every suspension since the event, still in its window, ends */ \
	X(STMT_UNDO_RESTORE, 2, "UPDATE passkeys SET suspended_at = NULL, suspended_until = NULL, suspended_source = NULL " \
	    "WHERE account_id = ? AND suspended_at >= STR_TO_DATE(?, " TSFMT ") AND suspended_until > " NOW6) \
	/* the account's open case goes to the reviewers as disputed; its flows end */ \
	X(STMT_CASE_DISPUTE_OPEN, 1, "UPDATE reset_cases SET status = 'disputed', submitted_at = " NOW6 ", claimed_by = NULL, " \
	    "claim_seen_at = NULL, first_approval_by = NULL, first_decision = NULL, updated_at = " NOW6 " WHERE open_account_id = ?") \
	/* or the latest case completed since the event opens again, as disputed */ \
	X(STMT_CASE_DISPUTE_REOPEN, 2, "UPDATE reset_cases SET status = 'disputed', open_account_id = account_id, closed_at = NULL, " \
	    "submitted_at = " NOW6 ", claimed_by = NULL, claim_seen_at = NULL, first_approval_by = NULL, first_decision = NULL, " \
	    "updated_at = " NOW6 " WHERE account_id = ? AND status = 'completed' AND closed_at >= STR_TO_DATE(?, " TSFMT ") ORDER BY id DESC LIMIT 1") \
	X(STMT_CASE_DISPUTED_GET, 1, "SELECT id FROM reset_cases WHERE open_account_id = ? AND status = 'disputed'") \
	X(STMT_RFLOWS_END_FOR_CASE, 1, "UPDATE reset_flows SET state = 'expired', finished_at = " NOW6 " WHERE case_id = ? AND finished_at IS NULL") \
	/* a disputed case's four eyes: the first decision, or a split that starts over */ \
	X(STMT_CASE_FIRST_DECISION, 3, "UPDATE reset_cases SET first_approval_by = ?, first_decision = ?, claimed_by = NULL, claim_seen_at = NULL, " \
	    "updated_at = " NOW6 " WHERE id = ? AND status = 'disputed' AND first_approval_by IS NULL") \
	X(STMT_CASE_DECISION_SPLIT, 1, "UPDATE reset_cases SET first_approval_by = NULL, first_decision = NULL, claimed_by = NULL, " \
	    "claim_seen_at = NULL, updated_at = " NOW6 " WHERE id = ? AND status = 'disputed'") \
	X(STMT_CASE_DISPUTE_CLOSE, 2, "UPDATE reset_cases SET status = ?, open_account_id = NULL, closed_at = " NOW6 ", updated_at = " NOW6 " " \
	    "WHERE id = ? AND status = 'disputed'") \
	/* the freeze code: a keyed hash, one per account, shown once */ \
	X(STMT_FREEZE_CODE_SET, 2, "INSERT INTO freeze_codes (account_id, code_hash, created_at) VALUES (?, ?, " NOW6 ") " \
	    "ON DUPLICATE KEY UPDATE code_hash = VALUES(code_hash), created_at = VALUES(created_at), used_at = NULL") \
	X(STMT_FREEZE_CODE_GET, 1, "SELECT code_hash, used_at IS NOT NULL FROM freeze_codes WHERE account_id = ? FOR UPDATE") \
	X(STMT_FREEZE_CODE_INFO, 1, "SELECT DATE_FORMAT(created_at, " TSFMT "), used_at IS NOT NULL FROM freeze_codes WHERE account_id = ?") \
	X(STMT_FREEZE_CODE_USE, 1, "UPDATE freeze_codes SET used_at = " NOW6 " WHERE account_id = ? AND used_at IS NULL") \
	/* the reset flow and its cases */ \
	X(STMT_RFLOW_INSERT, 3, "INSERT INTO reset_flows (browser_hash, entry, state, created_at, expires_at) " \
	    "VALUES (?, ?, 'instructions', " NOW6 ", " NOW6 " + INTERVAL ? SECOND)") \
	X(STMT_RFLOW_GET, 2, "SELECT id, state, email, account_id, password_confirmed, email_tries, case_id, expires_at <= " NOW6 ", entry " \
	    "FROM reset_flows WHERE id = ? AND browser_hash = ? FOR UPDATE") \
	X(STMT_RFLOW_MOVE, 3, "UPDATE reset_flows SET state = ? WHERE id = ? AND state = ?") \
	X(STMT_RFLOW_IDENTIFY, 4, "UPDATE reset_flows SET email = ?, account_id = ?, password_confirmed = ? WHERE id = ? AND state = 'credentials'") \
	X(STMT_RFLOW_EMAIL_TRY, 2, "UPDATE reset_flows SET email_tries = email_tries + 1 WHERE id = ? AND email_tries < ?") \
	X(STMT_RFLOW_SAVE, 4, "UPDATE reset_flows SET state = ?, case_id = ? WHERE id = ? AND state = ?") \
	X(STMT_RFLOW_FINISH, 1, "UPDATE reset_flows SET finished_at = " NOW6 " WHERE id = ?") \
	X(STMT_ACCOUNT_RESET_FACTS, 1, "SELECT identity_status, asset_value_cents, frozen, " \
	    "(SELECT COUNT(*) FROM totp_bindings t WHERE t.account_id = a.id AND t.confirmed_at IS NOT NULL) + " \
	    "(SELECT COUNT(*) FROM phones p WHERE p.account_id = a.id AND p.confirmed_at IS NOT NULL), " \
	    "(SELECT COUNT(*) FROM totp_bindings t WHERE t.account_id = a.id AND t.confirmed_at IS NOT NULL), " \
	    "(SELECT COUNT(*) FROM recovery_codes r WHERE r.account_id = a.id AND r.voided_at IS NULL AND r.used_at IS NULL) " \
	    "FROM accounts a WHERE a.id = ?") \
	X(STMT_CASE_OPEN_GET, 1, "SELECT id, route, status, questions_attempts FROM reset_cases WHERE open_account_id = ? FOR UPDATE") \
	X(STMT_CASE_INSERT, 5, "INSERT INTO reset_cases (account_id, open_account_id, route, status, questions_attempts, " \
	    "status_token_hash, route_rule, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, 0, " NOW6 ", " NOW6 ")") \
	X(STMT_CASE_GET, 1, "SELECT id, account_id, route, status, questions_attempts FROM reset_cases WHERE id = ? FOR UPDATE") \
	X(STMT_CASE_ROUTE, 4, "UPDATE reset_cases SET route = ?, status = ?, route_rule = ?, updated_at = " NOW6 " WHERE id = ? AND open_account_id IS NOT NULL") \
	X(STMT_CASE_TOKEN, 2, "UPDATE reset_cases SET status_token_hash = ? WHERE id = ?") \
	X(STMT_CASE_ATTEMPT, 2, "UPDATE reset_cases SET questions_attempts = questions_attempts + 1, updated_at = " NOW6 " " \
	    "WHERE id = ? AND questions_attempts < ? AND open_account_id IS NOT NULL") \
	X(STMT_CASE_CLOSE, 2, "UPDATE reset_cases SET status = ?, open_account_id = NULL, closed_at = " NOW6 ", updated_at = " NOW6 " " \
	    "WHERE id = ? AND open_account_id IS NOT NULL AND status <> 'disputed'") \
	X(STMT_CASE_BY_TOKEN, 1, "SELECT id, route, status, questions_attempts, DATE_FORMAT(created_at, " TSFMT "), " \
	    "DATE_FORMAT(updated_at, " TSFMT "), COALESCE(DATE_FORMAT(more_info_expires_at, " TSFMT "), ''), account_id " \
	    "FROM reset_cases WHERE status_token_hash = ?") \
	/* the account's open case (#23: the header's link, the case page signed in) */ \
	X(STMT_CASE_OPEN_OF_ACCOUNT, 1, "SELECT id, route, status, questions_attempts, DATE_FORMAT(created_at, " TSFMT "), " \
	    "DATE_FORMAT(updated_at, " TSFMT "), COALESCE(DATE_FORMAT(more_info_expires_at, " TSFMT "), ''), account_id " \
	    "FROM reset_cases WHERE open_account_id = ?") \
	X(STMT_CASE_MORE_INFO_REKEY, 2, "UPDATE reset_cases SET more_info_hash = ? WHERE id = ? AND status = 'needs_more_info' " \
	    "AND more_info_expires_at > " NOW6) \
	X(STMT_CASE_EVENT, 3, "INSERT INTO case_events (case_id, at, event, detail) VALUES (?, " NOW6 ", ?, ?)") \
	X(STMT_CASE_EVENTS, 1, "SELECT DATE_FORMAT(at, " TSFMT "), event, detail FROM case_events WHERE case_id = ? ORDER BY id") \
	X(STMT_QSET_INSERT, 3, "INSERT INTO question_sets (case_id, questions, answer_hash, created_at) VALUES (?, ?, ?, " NOW6 ")") \
	X(STMT_QSET_CURRENT, 1, "SELECT id, questions, answer_hash FROM question_sets WHERE case_id = ? AND answered_at IS NULL " \
	    "ORDER BY id DESC LIMIT 1 FOR UPDATE") \
	X(STMT_QSET_ANSWER, 1, "UPDATE question_sets SET answered_at = " NOW6 " WHERE id = ? AND answered_at IS NULL") \
	X(STMT_QSET_RETIRE, 1, "UPDATE question_sets SET answered_at = " NOW6 " WHERE case_id = ? AND answered_at IS NULL") \
	X(STMT_FACT_DEPOSIT_COINS, 1, "SELECT DISTINCT coin FROM transfers WHERE account_id = ? AND direction = 'deposit'") \
	X(STMT_FACT_WITHDRAW_NETWORKS, 1, "SELECT DISTINCT network FROM transfers WHERE account_id = ? AND direction = 'withdrawal'") \
	X(STMT_FACT_SIGNIN_COUNTRIES, 1, "SELECT DISTINCT country FROM signins WHERE account_id = ? AND country <> '' " \
	    "AND at > " NOW6 " - INTERVAL 400 DAY") \
	X(STMT_FACT_CREATED, 1, "SELECT YEAR(created_at), MONTH(created_at) FROM accounts WHERE id = ?") \
	X(STMT_FACT_LAST_WITHDRAWAL, 1, "SELECT coin, amount FROM transfers WHERE account_id = ? AND direction = 'withdrawal' " \
	    "ORDER BY occurred_at DESC LIMIT 1") \
	X(STMT_PASSKEYS_DELETE_ALL, 1, "DELETE FROM passkeys WHERE account_id = ?") \
	/* evidence (Case 3) */ \
	X(STMT_EVIDENCE_COUNT, 1, "SELECT COUNT(*), COALESCE(SUM(bytes), 0), SUM(kind = 'operator_email'), SUM(kind = 'counterparty_tx'), SUM(kind = 'face_frame') " \
	    "FROM evidence WHERE case_id = ?") \
	X(STMT_CASE_COUNTRY, 2, "UPDATE reset_cases SET residence_country = ? WHERE id = ?") \
	X(STMT_HANDOFF_INSERT, 3, "INSERT INTO face_handoffs (flow_id, token_hash, expires_at, created_at) VALUES (?, ?, " NOW6 " + INTERVAL ? SECOND, " NOW6 ")") \
	X(STMT_HANDOFF_GET, 1, "SELECT h.flow_id, h.used_at IS NOT NULL, h.expires_at <= " NOW6 ", f.state, f.account_id " \
	    "FROM face_handoffs h JOIN reset_flows f ON f.id = h.flow_id WHERE h.token_hash = ? FOR UPDATE") \
	X(STMT_HANDOFF_USE, 1, "UPDATE face_handoffs SET used_at = " NOW6 " WHERE token_hash = ? AND used_at IS NULL AND expires_at > " NOW6) \
	X(STMT_HANDOFF_CLOSE_OTHERS, 1, "UPDATE face_handoffs SET used_at = " NOW6 " WHERE flow_id = ? AND used_at IS NULL") \
	X(STMT_RFLOW_REBIND, 2, "UPDATE reset_flows SET browser_hash = ? WHERE id = ? AND state = 'face'") \
	X(STMT_HANDOFF_EXPIRES, 1, "SELECT DATE_FORMAT(expires_at, " TSFMT ") FROM face_handoffs WHERE id = ?") \
	X(STMT_EVIDENCE_SAME_FILE, 2, "SELECT id FROM evidence WHERE case_id = ? AND sha256 = ? LIMIT 1") \
	X(STMT_EVIDENCE_DUPLICATE, 3, "SELECT id FROM evidence WHERE case_id = ? AND (sha256 = ? OR BIT_COUNT(fingerprint ^ ?) <= 6) LIMIT 1") \
	/* other accounts' cases with an image within 4 bits of this fingerprint: the rows that share one of its five \
	 * parts (schema/034: each part indexed, the same shifts as its triggers), then the distance. Parameters: the \
	 * account, then the fingerprint six times */ \
	X(STMT_EVIDENCE_RING, 7, "SELECT DISTINCT e.case_id FROM evidence e JOIN reset_cases c ON c.id = e.case_id " \
	    "WHERE c.account_id <> ? AND (e.fp_a = (? >> 51) & 8191 OR e.fp_b = (? >> 38) & 8191 OR e.fp_c = (? >> 25) & 8191 " \
	    "OR e.fp_d = (? >> 12) & 8191 OR e.fp_e = ? & 4095) AND BIT_COUNT(e.fingerprint ^ ?) <= 4 ORDER BY e.case_id DESC LIMIT 5") \
	X(STMT_EVIDENCE_INSERT, 22, "INSERT INTO evidence (case_id, kind, email_kind, direction, coin, network, amount, tx_time, reference, " \
	    "counterparty, format, width, height, bytes, sha256, fingerprint, key_id, original_sealed, canonical_sealed, match_score, " \
	    "match_reasons, ring_cases, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, STR_TO_DATE(?, '%Y-%m-%dT%H:%i'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " NOW6 ")") \
	X(STMT_EVIDENCE_LIST, 1, "SELECT id, kind, COALESCE(email_kind, ''), COALESCE(coin, ''), COALESCE(amount, ''), format, width, height, bytes, " \
	    "DATE_FORMAT(created_at, " TSFMT ") FROM evidence WHERE case_id = ? ORDER BY id") \
	X(STMT_EVIDENCE_SEALED, 1, "SELECT case_id, kind, LOWER(HEX(sha256)), key_id, canonical_sealed FROM evidence WHERE id = ?") \
	X(STMT_TRANSFERS_ALL, 1, "SELECT direction, coin, network, amount, UNIX_TIMESTAMP(occurred_at), address, txid FROM transfers " \
	    "WHERE account_id = ? ORDER BY occurred_at DESC LIMIT 500") \
	X(STMT_CASE_STATUS_SET, 2, "UPDATE reset_cases SET status = ?, updated_at = " NOW6 " WHERE id = ? AND open_account_id IS NOT NULL") \
	X(STMT_RFLOW_BY_CASE, 1, "SELECT id, state FROM reset_flows WHERE case_id = ? AND finished_at IS NULL ORDER BY id DESC LIMIT 1 FOR UPDATE") \
	/* Case 2 with a provider (store/face.c, jobs/face_dispatch.c) */ \
	X(STMT_FACE_CHECK_INSERT, 3, "INSERT INTO face_checks (case_id, provider, reference, status, created_at, updated_at) " \
	    "VALUES (?, ?, ?, 'queued', " NOW6 ", " NOW6 ")") \
	X(STMT_FACE_CHECK_DUE, 0, "SELECT fc.id, fc.case_id, fc.reference, COALESCE(c.residence_country, ''), c.account_id " \
	    "FROM face_checks fc JOIN reset_cases c ON c.id = fc.case_id WHERE fc.status = 'queued' " \
	    "AND (fc.next_attempt_at IS NULL OR fc.next_attempt_at <= " NOW6 ") ORDER BY fc.id LIMIT 5 FOR UPDATE SKIP LOCKED") \
	X(STMT_FACE_CHECK_SENT, 2, "UPDATE face_checks SET status = 'sent', provider_check_id = ?, updated_at = " NOW6 " WHERE id = ? AND status = 'queued'") \
	X(STMT_FACE_CHECK_RETRY, 2, "UPDATE face_checks SET attempts = attempts + 1, last_error = ?, " \
	    "next_attempt_at = " NOW6 " + INTERVAL LEAST(POW(2, attempts), 600) SECOND, " \
	    "status = IF(attempts >= 12, 'failed', status), updated_at = " NOW6 " WHERE id = ? AND status = 'queued'") \
	X(STMT_FACE_CHECK_BY_REF, 1, "SELECT fc.id, fc.case_id, fc.status, c.account_id, c.status, a.identity_status " \
	    "FROM face_checks fc JOIN reset_cases c ON c.id = fc.case_id JOIN accounts a ON a.id = c.account_id " \
	    "WHERE fc.reference = ? FOR UPDATE") \
	X(STMT_FACE_CHECK_RESULT, 3, "UPDATE face_checks SET status = ?, score = ?, updated_at = " NOW6 " WHERE id = ? AND status IN ('queued', 'sent')") \
	X(STMT_FACE_CHECK_OF_CASE, 1, "SELECT provider, status, COALESCE(score, -1), attempts, COALESCE(last_error, '') FROM face_checks " \
	    "WHERE case_id = ? ORDER BY id DESC LIMIT 1") \
	X(STMT_WEBHOOK_EVENT_INSERT, 2, "INSERT INTO webhook_events (provider, event_id, received_at) VALUES (?, ?, " NOW6 ")") \
	X(STMT_EVIDENCE_FACE_FRAMES, 1, "SELECT id, kind, LOWER(HEX(sha256)), key_id, canonical_sealed FROM evidence " \
	    "WHERE case_id = ? AND kind = 'face_frame' ORDER BY id") \
	X(STMT_IDPHOTO_INSERT, 5, "INSERT INTO identity_photos (account_id, width, height, key_id, photo_sealed, created_at) " \
	    "VALUES (?, ?, ?, ?, ?, " NOW6 ") ON DUPLICATE KEY UPDATE width = VALUES(width), height = VALUES(height), " \
	    "key_id = VALUES(key_id), photo_sealed = VALUES(photo_sealed), created_at = VALUES(created_at)") \
	X(STMT_IDPHOTO_GET, 1, "SELECT width, height, photo_sealed, key_id FROM identity_photos WHERE account_id = ?") \
	/* the vault's key rotation (store/vault.c, rekeyctl keys): rows per key, a batch to reseal, its UPDATE */ \
	X(STMT_VAULT_KEY_COUNTS, 0, "SELECT 'evidence', key_id, COUNT(*) FROM evidence GROUP BY key_id UNION ALL " \
	    "SELECT 'identity_photos', key_id, COUNT(*) FROM identity_photos GROUP BY key_id UNION ALL " \
	    "SELECT 'totp_bindings', key_id, COUNT(*) FROM totp_bindings GROUP BY key_id ORDER BY 1, 2") \
	X(STMT_VAULT_KEY_USES, 3, "SELECT (SELECT COUNT(*) FROM evidence WHERE key_id = ?) + " \
	    "(SELECT COUNT(*) FROM identity_photos WHERE key_id = ?) + (SELECT COUNT(*) FROM totp_bindings WHERE key_id = ?)") \
	X(STMT_VAULT_EVIDENCE_BATCH, 3, "SELECT id, case_id, kind, LOWER(HEX(sha256)), key_id, original_sealed, canonical_sealed " \
	    "FROM evidence WHERE key_id <> ? AND id > ? ORDER BY id LIMIT ? FOR UPDATE") \
	X(STMT_VAULT_EVIDENCE_RESEAL, 5, "UPDATE evidence SET key_id = ?, original_sealed = ?, canonical_sealed = ? " \
	    "WHERE id = ? AND key_id = ?") \
	X(STMT_VAULT_IDPHOTO_BATCH, 3, "SELECT account_id, key_id, photo_sealed FROM identity_photos " \
	    "WHERE key_id <> ? AND account_id > ? ORDER BY account_id LIMIT ? FOR UPDATE") \
	X(STMT_VAULT_IDPHOTO_RESEAL, 4, "UPDATE identity_photos SET key_id = ?, photo_sealed = ? WHERE account_id = ? AND key_id = ?") \
	X(STMT_VAULT_TOTP_BATCH, 3, "SELECT account_id, key_id, secret_sealed FROM totp_bindings " \
	    "WHERE key_id <> ? AND account_id > ? ORDER BY account_id LIMIT ? FOR UPDATE") \
	X(STMT_VAULT_TOTP_RESEAL, 4, "UPDATE totp_bindings SET key_id = ?, secret_sealed = ? WHERE account_id = ? AND key_id = ?") \
	X(STMT_VAULT_TOTP_ALL, 2, "SELECT account_id, key_id, secret_sealed FROM totp_bindings WHERE account_id > ? ORDER BY account_id LIMIT ?") \
	X(STMT_VAULT_EVIDENCE_ALL, 2, "SELECT id, case_id, kind, LOWER(HEX(sha256)), key_id, original_sealed, canonical_sealed " \
	    "FROM evidence WHERE id > ? ORDER BY id LIMIT ?") \
	X(STMT_VAULT_IDPHOTO_ALL, 2, "SELECT account_id, key_id, photo_sealed FROM identity_photos WHERE account_id > ? ORDER BY account_id LIMIT ?") \
	/* the review console (api/review.c): reviewers, their passkeys, sessions, enrolment links */ \
	X(STMT_REVIEWER_INSERT, 3, "INSERT INTO reviewers (email, user_handle, roles, created_at) VALUES (?, ?, ?, " NOW6 ")") \
	X(STMT_REVIEWER_BY_EMAIL, 1, "SELECT id, roles, disabled_at IS NOT NULL FROM reviewers WHERE email = ? FOR UPDATE") \
	X(STMT_REVIEWER_ROLES, 2, "UPDATE reviewers SET roles = ? WHERE id = ?") \
	X(STMT_REVIEWER_DISABLE, 1, "UPDATE reviewers SET disabled_at = " NOW6 " WHERE id = ? AND disabled_at IS NULL") \
	X(STMT_REVIEWER_ENABLE, 1, "UPDATE reviewers SET disabled_at = NULL WHERE id = ?") \
	X(STMT_REVIEWER_LIST, 0, "SELECT r.id, r.email, r.roles, r.disabled_at IS NOT NULL, (SELECT COUNT(*) FROM reviewer_passkeys p WHERE p.reviewer_id = r.id) " \
	    "FROM reviewers r ORDER BY r.id") \
	X(STMT_REVIEWER_GET, 1, "SELECT email, roles FROM reviewers WHERE id = ?") \
	X(STMT_REVIEWER_LANGUAGE, 1, "SELECT COALESCE(language, '') FROM reviewers WHERE id = ?") \
	X(STMT_REVIEWER_LANGUAGE_SET, 2, "UPDATE reviewers SET language = ? WHERE id = ?") \
	X(STMT_REVIEWER_WEBAUTHN, 1, "SELECT user_handle, email, email, disabled_at IS NOT NULL FROM reviewers WHERE id = ?") \
	X(STMT_ENROL_INSERT, 3, "INSERT INTO reviewer_enrolments (reviewer_id, token_hash, expires_at, created_at) " \
	    "VALUES (?, ?, " NOW6 " + INTERVAL ? HOUR, " NOW6 ")") \
	X(STMT_ENROL_GET, 1, "SELECT e.id, e.reviewer_id, e.used_at IS NOT NULL, e.expires_at <= " NOW6 ", r.disabled_at IS NOT NULL, r.email " \
	    "FROM reviewer_enrolments e JOIN reviewers r ON r.id = e.reviewer_id WHERE e.token_hash = ? FOR UPDATE") \
	X(STMT_ENROL_USE, 1, "UPDATE reviewer_enrolments SET used_at = " NOW6 " WHERE id = ? AND used_at IS NULL AND expires_at > " NOW6) \
	X(STMT_RPASSKEY_BY_CREDENTIAL, 1, "SELECT p.id, p.reviewer_id, p.cose_alg, p.public_key, p.sign_count, p.backup_eligible, p.backup_state, p.name, " \
	    "r.user_handle, r.disabled_at IS NOT NULL FROM reviewer_passkeys p JOIN reviewers r ON r.id = p.reviewer_id WHERE p.credential_id = ?") \
	X(STMT_RPASSKEY_USE, 4, "UPDATE reviewer_passkeys SET sign_count = ?, backup_state = ?, last_used_at = " NOW6 " " \
	    "WHERE id = ? AND sign_count = ?") \
	X(STMT_RPASSKEY_CREDENTIALS, 1, "SELECT credential_id, transports FROM reviewer_passkeys WHERE reviewer_id = ? ORDER BY id") \
	X(STMT_RPASSKEY_INSERT, 13, "INSERT INTO reviewer_passkeys (reviewer_id, credential_id, cose_alg, public_key, cose_key, sign_count, " \
	    "uv_initialized, backup_eligible, backup_state, aaguid, attestation_fmt, transports, name, created_at) " \
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " NOW6 ")") \
	X(STMT_RSESSION_INSERT, 5, "INSERT INTO reviewer_sessions (token_hash, reviewer_id, created_at, last_seen_at, absolute_expires_at, ip, user_agent) " \
	    "VALUES (?, ?, " NOW6 ", " NOW6 ", " NOW6 " + INTERVAL ? SECOND, ?, ?)") \
	X(STMT_RSESSION_LOOKUP, 2, "SELECT s.id, s.reviewer_id, r.roles, r.email, TIMESTAMPDIFF(SECOND, s.last_seen_at, " NOW6 ") " \
	    "FROM reviewer_sessions s JOIN reviewers r ON r.id = s.reviewer_id WHERE s.token_hash = ? AND s.revoked_at IS NULL " \
	    "AND s.absolute_expires_at > " NOW6 " AND s.last_seen_at > " NOW6 " - INTERVAL ? SECOND AND r.disabled_at IS NULL") \
	X(STMT_RSESSION_TOUCH, 1, "UPDATE reviewer_sessions SET last_seen_at = " NOW6 " WHERE id = ? AND revoked_at IS NULL") \
	X(STMT_RSESSION_REVOKE, 1, "UPDATE reviewer_sessions SET revoked_at = " NOW6 " WHERE id = ? AND revoked_at IS NULL") \
	X(STMT_RSESSION_REVOKE_ALL, 1, "UPDATE reviewer_sessions SET revoked_at = " NOW6 " WHERE reviewer_id = ? AND revoked_at IS NULL") \
	/* the admin console (api/admin.c): reviewers with their last sign-in, one locked, delivery and face-check backlogs */ \
	X(STMT_ADMIN_REVIEWERS, 0, "SELECT r.id, r.email, r.roles, r.disabled_at IS NOT NULL, " \
	    "(SELECT COUNT(*) FROM reviewer_passkeys p WHERE p.reviewer_id = r.id), " \
	    "DATE_FORMAT((SELECT MAX(s.created_at) FROM reviewer_sessions s WHERE s.reviewer_id = r.id), " TSFMT "), " \
	    "DATE_FORMAT(r.created_at, " TSFMT ") FROM reviewers r ORDER BY r.email LIMIT 1000") \
	X(STMT_ADMIN_REVIEWER_LOCK, 1, "SELECT email, roles, disabled_at IS NOT NULL FROM reviewers WHERE id = ? FOR UPDATE") \
	X(STMT_ADMIN_OUTBOX_PENDING, 0, "SELECT channel, COUNT(*), SUM(attempts > 0), TIMESTAMPDIFF(SECOND, MIN(created_at), " NOW6 ") " \
	    "FROM outbox WHERE sent_at IS NULL GROUP BY channel ORDER BY channel") \
	X(STMT_ADMIN_OUTBOX_SENT, 1, "SELECT channel, COUNT(*) FROM outbox WHERE sent_at >= " NOW6 " - INTERVAL ? HOUR GROUP BY channel ORDER BY channel") \
	X(STMT_ADMIN_FACE_BACKLOG, 0, "SELECT status, COUNT(*), TIMESTAMPDIFF(SECOND, MIN(created_at), " NOW6 ") FROM face_checks " \
	    "WHERE status IN ('queued', 'sent', 'failed') GROUP BY status ORDER BY status") \
	/* the queue: kind (questions failed, face, documents), status (second approval apart), value tier, age; due by the SLA; \
	 * a page of ? rows after the cursor (due time in microseconds since 1970, case id; 0, 0 for the first). Every open \
	 * case, or those of one status (the queue's: second_approval apart) on the index that has it (schema/029). */ \
	X(STMT_REVIEW_QUEUE, 14, SQL_QUEUE_PAGE("reset_cases_due", "")) \
	X(STMT_REVIEW_QUEUE_STATUS, 17, SQL_QUEUE_PAGE("reset_cases_due_status", " AND c.queue_status = ?")) \
	/* GET /api/review/queue, issue #21: the reviewer's session checked by the \
	 * counts' statement -- 'a' the session (id, reviewer, roles, email, idle \
	 * seconds; no such row: 401), then 'c' per kind and status (kind, status, \
	 * cases, of which high value), in the order of the index schema/033 made \
	 * for it (no temporary table, no sort), joined to the same live session so \
	 * that nothing is counted without one. \
	 * Parameters: token hash, idle seconds, high value, token hash, idle seconds. */ \
	X(STMT_REVIEW_COUNTS_SIGNED_IN, 5, "(SELECT 'a', s.id, s.reviewer_id, r.roles, r.email, TIMESTAMPDIFF(SECOND, s.last_seen_at, " NOW6 ") " \
	    "FROM reviewer_sessions s JOIN reviewers r ON r.id = s.reviewer_id WHERE " SQL_RSESSION_LIVE " AND r.disabled_at IS NULL) " \
	    "UNION ALL (SELECT 'c', IF(c.route = 'documents' AND c.queue_class = 'questions_failed', 'questions_failed', c.route), " \
	    "c.queue_status, COUNT(*), SUM(c.queue_value_cents >= ?), NULL FROM reviewer_sessions s " \
	    "JOIN reviewers r ON r.id = s.reviewer_id JOIN reset_cases c FORCE INDEX (reset_cases_counts) ON c.queue_class IS NOT NULL " \
	    "WHERE " SQL_RSESSION_LIVE " AND r.disabled_at IS NULL GROUP BY c.queue_class, c.queue_status, c.route)") \
	X(STMT_REVIEW_CASE, 2, "SELECT c.id, c.account_id, c.route, c.status, c.questions_attempts, DATE_FORMAT(c.created_at, " TSFMT "), " \
	    "COALESCE(DATE_FORMAT(c.submitted_at, " TSFMT "), ''), COALESCE(c.claimed_by, 0), c.claim_seen_at > " NOW6 " - INTERVAL ? MINUTE, " \
	    "COALESCE(c.first_approval_by, 0), COALESCE(c.residence_country, ''), a.email, a.identity_status, a.asset_value_cents, " \
	    "DATE_FORMAT(a.created_at, " TSFMT "), a.no_passkey_protection, a.frozen, a.display_name, COALESCE(a.language, '') " \
	    "FROM reset_cases c JOIN accounts a ON a.id = c.account_id WHERE c.id = ?") \
	X(STMT_REVIEW_CASE_LOCK, 2, "SELECT c.id, c.account_id, c.route, c.status, COALESCE(c.claimed_by, 0), " \
	    "COALESCE(c.claim_seen_at > " NOW6 " - INTERVAL ? MINUTE, 0), COALESCE(c.first_approval_by, 0), a.asset_value_cents, a.identity_status, " \
	    "COALESCE(c.first_decision, '') FROM reset_cases c JOIN accounts a ON a.id = c.account_id WHERE c.id = ? FOR UPDATE") \
	X(STMT_REVIEW_PREVIOUS, 2, "SELECT id, route, status, DATE_FORMAT(created_at, " TSFMT ") FROM reset_cases " \
	    "WHERE account_id = ? AND id <> ? ORDER BY id DESC LIMIT 20") \
	X(STMT_REVIEW_EVIDENCE, 1, "SELECT id, kind, COALESCE(email_kind, ''), COALESCE(direction, ''), COALESCE(coin, ''), COALESCE(network, ''), " \
	    "COALESCE(amount, ''), COALESCE(DATE_FORMAT(tx_time, '%Y-%m-%dT%H:%i'), ''), COALESCE(reference, ''), COALESCE(counterparty, ''), " \
	    "format, width, height, bytes, LOWER(HEX(sha256)), COALESCE(match_score, -1), COALESCE(match_reasons, ''), ring_cases, " \
	    "DATE_FORMAT(created_at, " TSFMT ") FROM evidence WHERE case_id = ? ORDER BY id") \
	X(STMT_REVIEW_DECISIONS, 1, "SELECT r.email, d.decision, d.effective, d.reason_code, d.note_user, d.note_internal, " \
	    "DATE_FORMAT(d.created_at, " TSFMT "), d.reviewer_id FROM review_decisions d JOIN reviewers r ON r.id = d.reviewer_id " \
	    "WHERE d.case_id = ? ORDER BY d.id") \
	X(STMT_CASE_CLAIM, 4, "UPDATE reset_cases SET claimed_by = ?, claim_seen_at = " NOW6 " WHERE id = ? AND status IN ('under_review', 'disputed') " \
	    "AND (claimed_by IS NULL OR claimed_by = ? OR claim_seen_at <= " NOW6 " - INTERVAL ? MINUTE)") \
	X(STMT_CASE_RELEASE, 2, "UPDATE reset_cases SET claimed_by = NULL, claim_seen_at = NULL WHERE id = ? AND claimed_by = ?") \
	X(STMT_CASE_CLAIM_TOUCH, 1, "UPDATE reset_cases SET claim_seen_at = " NOW6 " WHERE id = ?") \
	X(STMT_DECISION_INSERT, 7, "INSERT INTO review_decisions (case_id, reviewer_id, decision, effective, reason_code, note_user, " \
	    "note_internal, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, " NOW6 ")") \
	X(STMT_CASE_FIRST_APPROVAL, 2, "UPDATE reset_cases SET first_approval_by = ?, claimed_by = NULL, claim_seen_at = NULL, " \
	    "updated_at = " NOW6 " WHERE id = ? AND status = 'under_review'") \
	X(STMT_CASE_MORE_INFO, 4, "UPDATE reset_cases SET status = 'needs_more_info', more_info_hash = ?, " \
	    "more_info_expires_at = " NOW6 " + INTERVAL ? HOUR, more_info_base = ?, claimed_by = NULL, claim_seen_at = NULL, " \
	    "first_approval_by = NULL, updated_at = " NOW6 " WHERE id = ? AND status = 'under_review'") \
	X(STMT_CASE_SUBMITTED, 1, "UPDATE reset_cases SET status = 'under_review', submitted_at = " NOW6 ", claimed_by = NULL, claim_seen_at = NULL, updated_at = " NOW6 " " \
	    "WHERE id = ? AND open_account_id IS NOT NULL") \
	X(STMT_MORE_INFO_GET, 1, "SELECT c.id, c.status, c.more_info_expires_at <= " NOW6 ", c.account_id, " \
	    "(SELECT f.id FROM reset_flows f WHERE f.case_id = c.id AND f.finished_at IS NULL ORDER BY f.id DESC LIMIT 1), c.route, " \
	    "(SELECT f.state FROM reset_flows f WHERE f.case_id = c.id AND f.finished_at IS NULL ORDER BY f.id DESC LIMIT 1) " \
	    "FROM reset_cases c WHERE c.more_info_hash = ? FOR UPDATE") \
	X(STMT_RFLOW_REBIND_MORE, 2, "UPDATE reset_flows SET browser_hash = ? WHERE id = ? AND state IN ('needs_more_info', 'documents', 'face')") \
	X(STMT_CASE_RESUME_LINK, 3, "UPDATE reset_cases SET more_info_hash = ?, more_info_expires_at = " NOW6 " + INTERVAL ? HOUR " \
	    "WHERE id = ? AND status = 'awaiting_evidence'") \
	X(STMT_CASE_MORE_INFO_BASE, 1, "SELECT COALESCE(more_info_base, 0), route FROM reset_cases WHERE id = ?") \
	/* GET /metrics (issue #22): gauges read at scrape time, each over at most ? rows of an index range \
	 * (outbox_pending, face_checks_due, reset_cases_queue, holds_active), so a scrape costs the same \
	 * whatever the tables hold; a count at the bound means "at least" */ \
	X(STMT_METRICS_OUTBOX, 1, "SELECT channel, COUNT(*), COALESCE(SUM(attempts >= 12), 0), " \
	    "COALESCE(MAX(TIMESTAMPDIFF(SECOND, created_at, " NOW6 ")), 0) FROM (SELECT channel, attempts, created_at " \
	    "FROM outbox WHERE sent_at IS NULL ORDER BY sent_at, id LIMIT ?) b GROUP BY channel") \
	X(STMT_METRICS_FACE, 1, "SELECT status, COUNT(*) FROM (SELECT status FROM face_checks WHERE status IN ('queued', 'sent') LIMIT ?) f " \
	    "GROUP BY status") \
	/* the queue by kind and status with its overdue count: the kind and the due time are the review queue's \
	 * (SQL_QUEUE_KIND; the SLA by the same classes as schema/029's queue_class), at most ? open cases read */ \
	X(STMT_METRICS_QUEUE, 4, "SELECT kind, status, COUNT(*), COALESCE(SUM(status = 'under_review' AND due_at < " NOW6 "), 0) " \
	    "FROM (SELECT " SQL_QUEUE_KIND " AS kind, c.status, " \
	    "c.submitted_at + INTERVAL (CASE WHEN c.route = 'face' THEN ? WHEN c.questions_attempts > 0 THEN ? ELSE ? END) HOUR AS due_at " \
	    "FROM reset_cases c WHERE c.status IN ('under_review', 'needs_more_info') AND c.submitted_at IS NOT NULL LIMIT ?) q " \
	    "GROUP BY kind, status") \
	X(STMT_METRICS_HOLDS, 1, "SELECT COUNT(*) FROM (SELECT 1 FROM holds WHERE ends_at > " NOW6 " LIMIT ?) h") \
	/* seed */ \
	/* rekeyctl seed-bulk: its ids start past the highest (explicit ids: evidence and flows name their case) */ \
	X(STMT_BULK_NEXT_IDS, 0, "SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM accounts), (SELECT COALESCE(MAX(id), 0) + 1 FROM reset_cases)") \
	X(STMT_TRANSFER_INSERT, 9, "INSERT INTO transfers (account_id, direction, coin, network, amount, occurred_at, address, txid, counterparty) " \
	    "VALUES (?, ?, ?, ?, ?, " NOW6 " - INTERVAL ? DAY, ?, ?, ?)") \
	X(STMT_TOTP_SEED, 4, "INSERT INTO totp_bindings (account_id, secret_sealed, key_id, confirmed_at, last_step, created_at) " \
	    "VALUES (?, ?, ?, " NOW6 ", ?, " NOW6 ") ON DUPLICATE KEY UPDATE account_id = account_id") \
	X(STMT_PHONE_SEED, 2, "INSERT INTO phones (account_id, number, confirmed_at, created_at) VALUES (?, ?, " NOW6 ", " NOW6 ") " \
	    "ON DUPLICATE KEY UPDATE account_id = account_id")

/* what db_exec may run in a read route (db_set_readonly): the connection's
 * settings and the sessions' once-a-minute idle clock, nothing else */
#define SQL_READ_ROUTE_EXEC(s) ((s) == STMT_SET_ISOLATION || (s) == STMT_SET_TZ || (s) == STMT_SET_SYNC_WAIT || \
	(s) == STMT_SESSION_TOUCH || (s) == STMT_RSESSION_TOUCH)

#endif
