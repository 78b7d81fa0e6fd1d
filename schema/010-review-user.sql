-- 010: the review API's own MariaDB user. rekeyd runs every /api/review/
-- request on a second connection as rekey_review (db_review_password; the
-- password is set by `rekeyctl migrate`, the account stays locked until
-- then). It reads what a reviewer sees and writes what a decision changes;
-- it cannot read password hashes, TOTP secrets or users' session tokens,
-- nor touch the account API's own tables.
CREATE USER IF NOT EXISTS 'rekey_review'@'localhost' ACCOUNT LOCK;
GRANT SELECT (id, email, identity_status, asset_value_cents, display_name, frozen, no_passkey_protection, created_at),
  UPDATE (no_passkey_protection) ON accounts TO 'rekey_review'@'localhost';
GRANT SELECT ON reviewers TO 'rekey_review'@'localhost';
GRANT SELECT, UPDATE ON reviewer_enrolments TO 'rekey_review'@'localhost';
GRANT SELECT, INSERT, UPDATE ON reviewer_passkeys TO 'rekey_review'@'localhost';
GRANT SELECT, INSERT, UPDATE ON reviewer_sessions TO 'rekey_review'@'localhost';
GRANT SELECT, INSERT, UPDATE ON webauthn_challenges TO 'rekey_review'@'localhost';
GRANT SELECT, INSERT, UPDATE ON rate_limits TO 'rekey_review'@'localhost';
GRANT SELECT, UPDATE ON reset_cases TO 'rekey_review'@'localhost';
GRANT SELECT, INSERT ON case_events TO 'rekey_review'@'localhost';
GRANT SELECT, UPDATE ON reset_flows TO 'rekey_review'@'localhost';
GRANT SELECT ON evidence TO 'rekey_review'@'localhost';
GRANT SELECT ON face_checks TO 'rekey_review'@'localhost';
GRANT SELECT ON identity_photos TO 'rekey_review'@'localhost';
GRANT SELECT ON signins TO 'rekey_review'@'localhost';
GRANT SELECT ON phones TO 'rekey_review'@'localhost';
GRANT SELECT (account_id, confirmed_at) ON totp_bindings TO 'rekey_review'@'localhost';
GRANT SELECT, DELETE ON passkeys TO 'rekey_review'@'localhost';
GRANT SELECT (id, account_id, revoked_at), UPDATE (revoked_at) ON sessions TO 'rekey_review'@'localhost';
GRANT SELECT, INSERT ON holds TO 'rekey_review'@'localhost';
GRANT SELECT, INSERT, UPDATE ON audit_heads TO 'rekey_review'@'localhost';
GRANT SELECT, INSERT ON audit_log TO 'rekey_review'@'localhost';
GRANT INSERT ON outbox TO 'rekey_review'@'localhost';
GRANT SELECT, INSERT ON review_decisions TO 'rekey_review'@'localhost';
