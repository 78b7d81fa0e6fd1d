-- 015: recovery prepared before loss (issue #17).
-- Saved recovery codes: a set of 10, each stored only as a keyed hash; a
-- new set voids the previous one (voided_at), a code is spent by one
-- conditional UPDATE (used_at IS NULL), so parallel uses have one winner.
CREATE TABLE recovery_codes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NOT NULL,
  set_id BIGINT UNSIGNED NOT NULL,          -- the set's first code id: the codes of one set share it
  code_hash BINARY(32) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  used_at DATETIME(6) NULL,
  voided_at DATETIME(6) NULL,
  UNIQUE KEY recovery_codes_hash (code_hash),
  KEY recovery_codes_account (account_id, voided_at, used_at),
  CONSTRAINT recovery_codes_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB;

-- A second notification address: confirmed by a code sent to it; every
-- security notice goes to every confirmed one (and the account's email).
CREATE TABLE contacts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NOT NULL,
  email VARCHAR(254) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  confirmed_at DATETIME(6) NULL,
  UNIQUE KEY contacts_account_email (account_id, email),
  CONSTRAINT contacts_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The anti-phishing code shown in a fixed place in every mail.
ALTER TABLE accounts ADD COLUMN anti_phishing VARCHAR(20) NULL AFTER no_passkey_protection;

-- A reset may complete with a saved recovery code.
ALTER TABLE reset_cases MODIFY route ENUM('questions','face','documents','recovery_code') NOT NULL;

GRANT SELECT, INSERT, UPDATE ON recovery_codes TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON contacts TO 'rekey_app'@'localhost';
-- a reviewer's decision notifies every address, with the code and a "this was not me" link
GRANT SELECT (account_id, email, confirmed_at) ON contacts TO 'rekey_review'@'localhost';
GRANT SELECT (anti_phishing) ON accounts TO 'rekey_review'@'localhost';
GRANT INSERT ON freeze_links TO 'rekey_review'@'localhost';
