-- 024: forgotten password (issue #23). A signed-out flow bound to the browser
-- that started it (a cookie of which only a keyed hash is stored, like the
-- passkey reset's): the email -> a code by mail -> the account's second
-- factor (a passkey or TOTP) -> a new password. A flow whose email matched
-- no account has no account_id and fails at the code like a wrong code.
-- Tries are counted by conditional UPDATEs on the row (5 per step).
CREATE TABLE password_resets (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  browser_hash BINARY(32) NOT NULL,
  email VARCHAR(254) NOT NULL,
  account_id BIGINT UNSIGNED NULL,
  state ENUM('code','factor','password','documents','done','dead') NOT NULL DEFAULT 'code',
  code_tries INT NOT NULL DEFAULT 0,
  factor_tries INT NOT NULL DEFAULT 0,
  factor VARCHAR(16) NOT NULL DEFAULT '',
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  finished_at DATETIME(6) NULL,
  UNIQUE KEY password_resets_browser (browser_hash),
  KEY password_resets_account (account_id),
  KEY password_resets_expires (expires_at),
  CONSTRAINT password_resets_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

GRANT SELECT, INSERT, UPDATE ON password_resets TO 'rekey_app'@'localhost';
