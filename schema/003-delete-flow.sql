-- 003: the delete-a-passkey flow and "this was not me" freeze links.

CREATE TABLE delete_flows (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NOT NULL,
  session_id BIGINT UNSIGNED NOT NULL,
  passkey_id BIGINT UNSIGNED NOT NULL,   -- no foreign key: the passkey is gone when the flow ends well
  state VARCHAR(32) NOT NULL,            -- a state of the core's delete_passkey table
  email_tries INT NOT NULL DEFAULT 0,
  factor_tries INT NOT NULL DEFAULT 0,
  factor VARCHAR(16) NULL,               -- what completed the second step
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  finished_at DATETIME(6) NULL,
  KEY delete_flows_account (account_id),
  CONSTRAINT delete_flows_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

CREATE TABLE freeze_links (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NOT NULL,
  token_hash BINARY(32) NOT NULL,
  source VARCHAR(64) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  used_at DATETIME(6) NULL,
  UNIQUE KEY freeze_links_token (token_hash),
  CONSTRAINT freeze_links_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB;
