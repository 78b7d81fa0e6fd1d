-- 005: evidence for manual review (seed: Case 3 screenshots). Files are
-- encrypted at rest (XChaCha20-Poly1305, key derived from the server key,
-- key id stored for rotation), bound to their row by the AEAD's associated
-- data; the row and its blobs are one INSERT, so neither exists without the other.

CREATE TABLE evidence (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('operator_email','counterparty_tx') NOT NULL,
  email_kind ENUM('deposit','withdrawal','signup','signin') NULL,
  direction ENUM('deposit','withdrawal') NULL,
  coin VARCHAR(16) NULL,
  network VARCHAR(16) NULL,
  amount VARCHAR(64) NULL,
  tx_time DATETIME NULL,
  reference VARCHAR(128) NULL,            -- address or TXID as typed
  counterparty VARCHAR(100) NULL,
  format ENUM('png','jpeg') NOT NULL,
  width INT NOT NULL,
  height INT NOT NULL,
  bytes INT NOT NULL,
  sha256 BINARY(32) NOT NULL,             -- of the original file
  fingerprint BIGINT NOT NULL,            -- 64-bit perceptual hash (core), bit pattern as signed
  key_id INT NOT NULL,
  original_sealed LONGBLOB NOT NULL,      -- nonce || ciphertext || tag
  canonical_sealed LONGBLOB NOT NULL,     -- a re-encoded PNG without metadata, for viewing
  match_score INT NULL,                   -- typed transaction vs the account's own records, 0..100
  match_reasons VARCHAR(1000) NULL,
  ring_cases VARCHAR(200) NOT NULL DEFAULT '',   -- other accounts' cases with a near-identical image
  created_at DATETIME(6) NOT NULL,
  KEY evidence_case (case_id),
  KEY evidence_fingerprint (fingerprint),
  CONSTRAINT evidence_case_fk FOREIGN KEY (case_id) REFERENCES reset_cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
