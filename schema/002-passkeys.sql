-- 002: passkeys (WebAuthn credentials) and single-use ceremony challenges.

CREATE TABLE passkeys (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  account_id BIGINT UNSIGNED NOT NULL,
  credential_id VARBINARY(1023) NOT NULL,
  cose_alg INT NOT NULL,
  public_key VARBINARY(600) NOT NULL,   -- libfido2's key struct for cose_alg (x||y, n||e or x)
  cose_key VARBINARY(700) NOT NULL,     -- the COSE key as registered
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
  UNIQUE KEY passkeys_credential (credential_id),
  KEY passkeys_account (account_id),
  CONSTRAINT passkeys_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A challenge is bound to the session that asked, or (signed out) to the
-- browser through a random cookie whose keyed hash is stored here.
CREATE TABLE webauthn_challenges (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  challenge BINARY(32) NOT NULL,
  ceremony ENUM('register','authenticate') NOT NULL,
  session_id BIGINT UNSIGNED NULL,
  browser_hash BINARY(32) NULL,
  account_id BIGINT UNSIGNED NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  used_at DATETIME(6) NULL,
  UNIQUE KEY challenges_value (challenge)
) ENGINE=InnoDB;
