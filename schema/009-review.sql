-- 009: the review console. Reviewers are not account holders: their own
-- table, passkeys, sessions and enrolment links (single use, only a keyed
-- hash stored). A case in review carries its claim (one reviewer, lapses
-- when idle), the first approval of a four-eyes case, and the user's
-- "needs more information" link. Every decision is a row.
CREATE TABLE reviewers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(254) NOT NULL,
  user_handle BINARY(32) NOT NULL,        -- WebAuthn user handle: random
  roles SET('reviewer','senior','admin') NOT NULL,
  disabled_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY reviewers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE reviewer_enrolments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  reviewer_id BIGINT UNSIGNED NOT NULL,
  token_hash BINARY(32) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  used_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY reviewer_enrolments_token (token_hash),
  CONSTRAINT reviewer_enrolments_fk FOREIGN KEY (reviewer_id) REFERENCES reviewers (id)
) ENGINE=InnoDB;

CREATE TABLE reviewer_passkeys (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  reviewer_id BIGINT UNSIGNED NOT NULL,
  credential_id VARBINARY(1023) NOT NULL,
  cose_alg INT NOT NULL,
  public_key VARBINARY(600) NOT NULL,
  cose_key VARBINARY(700) NOT NULL,
  sign_count BIGINT UNSIGNED NOT NULL,
  uv_initialized TINYINT(1) NOT NULL,
  backup_eligible TINYINT(1) NOT NULL,
  backup_state TINYINT(1) NOT NULL,
  aaguid BINARY(16) NOT NULL,
  attestation_fmt VARCHAR(32) NOT NULL,
  transports VARCHAR(200) NOT NULL DEFAULT '',
  name VARCHAR(64) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  last_used_at DATETIME(6) NULL,
  UNIQUE KEY reviewer_passkeys_credential (credential_id),
  KEY reviewer_passkeys_reviewer (reviewer_id),
  CONSTRAINT reviewer_passkeys_fk FOREIGN KEY (reviewer_id) REFERENCES reviewers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE reviewer_sessions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash BINARY(32) NOT NULL,
  reviewer_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(6) NOT NULL,
  last_seen_at DATETIME(6) NOT NULL,
  absolute_expires_at DATETIME(6) NOT NULL,
  revoked_at DATETIME(6) NULL,
  ip VARCHAR(64) NOT NULL,
  user_agent VARCHAR(200) NOT NULL,
  UNIQUE KEY reviewer_sessions_token (token_hash),
  CONSTRAINT reviewer_sessions_fk FOREIGN KEY (reviewer_id) REFERENCES reviewers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

ALTER TABLE webauthn_challenges MODIFY ceremony ENUM('register','authenticate','review_register','review_authenticate') NOT NULL;

ALTER TABLE reset_cases
  ADD COLUMN submitted_at DATETIME(6) NULL,          -- into the queue (again, after more information)
  ADD COLUMN claimed_by BIGINT UNSIGNED NULL,
  ADD COLUMN claim_seen_at DATETIME(6) NULL,         -- the holder's last action; idle claims lapse
  ADD COLUMN first_approval_by BIGINT UNSIGNED NULL, -- four-eyes: the first approver
  ADD COLUMN more_info_hash BINARY(32) NULL,
  ADD COLUMN more_info_expires_at DATETIME(6) NULL,
  ADD COLUMN more_info_base INT NULL,                -- evidence count when more was asked for
  ADD KEY reset_cases_queue (status, submitted_at);

CREATE TABLE review_decisions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  reviewer_id BIGINT UNSIGNED NOT NULL,
  decision ENUM('approve','reject','more_info') NOT NULL,
  effective TINYINT(1) NOT NULL,                     -- 0: a first approval waiting for the second
  reason_code VARCHAR(64) NOT NULL,
  note_user VARCHAR(1000) NOT NULL,
  note_internal VARCHAR(2000) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  KEY review_decisions_case (case_id, id),
  CONSTRAINT review_decisions_case_fk FOREIGN KEY (case_id) REFERENCES reset_cases (id),
  CONSTRAINT review_decisions_reviewer_fk FOREIGN KEY (reviewer_id) REFERENCES reviewers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
