-- 004: the passkey reset flow, reset cases (one open case per account), their
-- timeline, and security-question sets (answers only as keyed hashes).

CREATE TABLE reset_flows (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  browser_hash BINARY(32) NOT NULL,        -- the flow belongs to the browser holding the cookie
  entry VARCHAR(32) NOT NULL,              -- settings | delete_passkey | signin | direct
  state VARCHAR(32) NOT NULL,              -- a state of the core's reset_passkeys table
  email VARCHAR(254) NULL,
  account_id BIGINT UNSIGNED NULL,         -- NULL when the email/password did not match: the flow goes on, blind
  password_confirmed TINYINT(1) NOT NULL DEFAULT 0,
  email_tries INT NOT NULL DEFAULT 0,
  case_id BIGINT UNSIGNED NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  finished_at DATETIME(6) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE reset_cases (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NOT NULL,
  open_account_id BIGINT UNSIGNED NULL,    -- = account_id while open: the unique key makes one open case per account
  route ENUM('questions','face','documents') NOT NULL,
  status ENUM('verifying','awaiting_evidence','under_review','needs_more_info','approved','rejected','completed','expired') NOT NULL,
  questions_attempts INT NOT NULL DEFAULT 0,
  status_token_hash BINARY(32) NOT NULL,
  route_rule INT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  closed_at DATETIME(6) NULL,
  UNIQUE KEY reset_cases_open (open_account_id),
  UNIQUE KEY reset_cases_token (status_token_hash),
  KEY reset_cases_account (account_id),
  CONSTRAINT reset_cases_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB;

CREATE TABLE case_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  at DATETIME(6) NOT NULL,
  event VARCHAR(64) NOT NULL,
  detail VARCHAR(500) NOT NULL DEFAULT '',
  KEY case_events_case (case_id, id),
  CONSTRAINT case_events_case_fk FOREIGN KEY (case_id) REFERENCES reset_cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE question_sets (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  questions TEXT NOT NULL,                 -- what is shown: wording and options, no answers
  answer_hash BINARY(32) NOT NULL,         -- keyed hash of the correct selections
  created_at DATETIME(6) NOT NULL,
  answered_at DATETIME(6) NULL,
  KEY question_sets_case (case_id, id),
  CONSTRAINT question_sets_case_fk FOREIGN KEY (case_id) REFERENCES reset_cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
