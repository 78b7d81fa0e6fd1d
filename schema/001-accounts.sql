-- 001: accounts, their history, sessions, codes, rate limits, holds, audit, outbox.
-- All times are UTC, DATETIME(6). Secrets are stored only as keyed hashes or sealed.

CREATE TABLE accounts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(254) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  user_handle BINARY(32) NOT NULL,
  identity_status ENUM('verified','unverified','invalid') NOT NULL DEFAULT 'unverified',
  asset_value_cents BIGINT NOT NULL DEFAULT 0,
  display_name VARCHAR(100) NOT NULL DEFAULT '',
  frozen TINYINT(1) NOT NULL DEFAULT 0,
  no_passkey_protection TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY accounts_email (email),
  UNIQUE KEY accounts_handle (user_handle)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Deposits and withdrawals as the operator's ledger knows them.
CREATE TABLE transfers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NOT NULL,
  direction ENUM('deposit','withdrawal') NOT NULL,
  coin VARCHAR(16) NOT NULL,
  network VARCHAR(16) NOT NULL,
  amount DECIMAL(38,18) NOT NULL,
  occurred_at DATETIME(6) NOT NULL,
  address VARCHAR(128) NOT NULL,
  txid VARCHAR(128) NOT NULL,
  counterparty VARCHAR(100) NOT NULL DEFAULT '',
  KEY transfers_account (account_id, occurred_at),
  CONSTRAINT transfers_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE signins (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NOT NULL,
  at DATETIME(6) NOT NULL,
  ip VARCHAR(45) NOT NULL,
  country CHAR(2) NOT NULL DEFAULT '',
  device VARCHAR(200) NOT NULL DEFAULT '',
  KEY signins_account (account_id, at),
  CONSTRAINT signins_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Bound security tools. TOTP secrets are sealed (secretbox) with a key derived from the server key.
CREATE TABLE totp_bindings (
  account_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  secret_sealed VARBINARY(128) NOT NULL,
  confirmed_at DATETIME(6) NULL,
  last_step BIGINT NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  CONSTRAINT totp_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB;

CREATE TABLE phones (
  account_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  number VARCHAR(20) NOT NULL,
  confirmed_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  CONSTRAINT phones_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE sessions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash BINARY(32) NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  stage ENUM('partial','full') NOT NULL,
  created_at DATETIME(6) NOT NULL,
  last_seen_at DATETIME(6) NOT NULL,
  absolute_expires_at DATETIME(6) NOT NULL,
  revoked_at DATETIME(6) NULL,
  ip VARCHAR(45) NOT NULL DEFAULT '',
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  UNIQUE KEY sessions_token (token_hash),
  KEY sessions_account (account_id),
  CONSTRAINT sessions_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One-time codes: keyed hash only, bound to purpose and to the flow (or session) that asked.
CREATE TABLE codes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NOT NULL,
  purpose VARCHAR(32) NOT NULL,
  bound_to VARCHAR(64) NOT NULL,
  channel ENUM('email','sms') NOT NULL,
  code_hash BINARY(32) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  tries INT NOT NULL DEFAULT 0,
  used_at DATETIME(6) NULL,
  KEY codes_lookup (account_id, purpose, bound_to, id),
  CONSTRAINT codes_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- Fixed-window counters, advanced by one conditional UPDATE.
CREATE TABLE rate_limits (
  bucket BINARY(32) NOT NULL PRIMARY KEY,
  window_end DATETIME(6) NOT NULL,
  hits INT NOT NULL
) ENGINE=InnoDB;

CREATE TABLE holds (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('withdrawal') NOT NULL DEFAULT 'withdrawal',
  reason VARCHAR(64) NOT NULL,
  source_event VARCHAR(64) NOT NULL,
  starts_at DATETIME(6) NOT NULL,
  ends_at DATETIME(6) NOT NULL,
  KEY holds_account (account_id, ends_at),
  CONSTRAINT holds_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- Append-only, hash-chained per account (chain 0: system). The head row is
-- the only lock an append takes, so appends for different accounts never wait
-- on each other.
CREATE TABLE audit_heads (
  chain_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  seq BIGINT UNSIGNED NOT NULL,
  hash BINARY(32) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE audit_log (
  chain_id BIGINT UNSIGNED NOT NULL,
  seq BIGINT UNSIGNED NOT NULL,
  event VARCHAR(64) NOT NULL,
  actor VARCHAR(64) NOT NULL,
  ip VARCHAR(45) NOT NULL DEFAULT '',
  detail VARCHAR(2000) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  prev_hash BINARY(32) NOT NULL,
  hash BINARY(32) NOT NULL,
  PRIMARY KEY (chain_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE outbox (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NULL,
  channel ENUM('email','sms') NOT NULL,
  recipient VARCHAR(254) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  body TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  sent_at DATETIME(6) NULL,
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(6) NULL,
  last_error VARCHAR(255) NULL,
  KEY outbox_pending (sent_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
