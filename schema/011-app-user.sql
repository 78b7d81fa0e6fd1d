-- 011: the account API's own MariaDB user. rekeyd's workers and its
-- delivery process connect as rekey_app (db_app_password; the password is
-- set by `rekeyctl migrate`, the account stays locked until then), and
-- rekeyctl keeps db_user for migrations and operator commands. rekey_app
-- reads and writes what the account API and the reset flows change, and no
-- more: the audit log and the holds take rows but never change or lose one
-- (the chain's head moves, its entries do not), and the review console's
-- tables belong to rekey_review.
CREATE USER IF NOT EXISTS 'rekey_app'@'localhost' ACCOUNT LOCK;
GRANT SELECT ON schema_migrations TO 'rekey_app'@'localhost';
GRANT SELECT, UPDATE ON accounts TO 'rekey_app'@'localhost';
GRANT SELECT ON transfers TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT ON signins TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON totp_bindings TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON phones TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON sessions TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON codes TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limits TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT ON holds TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON audit_heads TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT ON audit_log TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON outbox TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON passkeys TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON webauthn_challenges TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON delete_flows TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON freeze_links TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON reset_flows TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON reset_cases TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT ON case_events TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON question_sets TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT ON evidence TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON face_handoffs TO 'rekey_app'@'localhost';
GRANT SELECT ON identity_photos TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON face_checks TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT ON webhook_events TO 'rekey_app'@'localhost';
