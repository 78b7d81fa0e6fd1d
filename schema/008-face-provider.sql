-- 008: Case 2 with a verification provider. The identity photo on file
-- (sealed like evidence) is what the frames are compared with; a face check
-- is queued in the transaction that submits the frames and sent by the
-- delivery process; the provider's answer arrives at a webhook whose
-- event ids are kept so that a replay is refused.
CREATE TABLE identity_photos (
  account_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  width INT NOT NULL,
  height INT NOT NULL,
  key_id INT NOT NULL,
  photo_sealed MEDIUMBLOB NOT NULL,       -- PNG, nonce || ciphertext || tag, AD names the account
  created_at DATETIME(6) NOT NULL,
  CONSTRAINT identity_photos_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB;

CREATE TABLE face_checks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  provider VARCHAR(32) NOT NULL,
  reference CHAR(43) NOT NULL,            -- random, sent to the provider, names the check in its webhook
  provider_check_id VARCHAR(100) NULL,
  status ENUM('queued','sent','match','no_match','identity_invalid','failed') NOT NULL,
  score INT NULL,
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(6) NULL,
  last_error VARCHAR(300) NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY face_checks_reference (reference),
  KEY face_checks_due (status, next_attempt_at),
  KEY face_checks_case (case_id),
  CONSTRAINT face_checks_case_fk FOREIGN KEY (case_id) REFERENCES reset_cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

CREATE TABLE webhook_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  provider VARCHAR(32) NOT NULL,
  event_id VARCHAR(100) NOT NULL,
  received_at DATETIME(6) NOT NULL,
  UNIQUE KEY webhook_events_once (provider, event_id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
