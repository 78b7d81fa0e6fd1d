-- 007: "Continue on phone" (seed: Case 2). A single-use link, valid for 10
-- minutes, that carries no session: claiming it moves the reset flow to the
-- phone's browser (the computer's cookie stops matching). Only a keyed hash
-- of the token is stored.
CREATE TABLE face_handoffs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  flow_id BIGINT UNSIGNED NOT NULL,
  token_hash BINARY(32) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  used_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY face_handoffs_token (token_hash),
  KEY face_handoffs_flow (flow_id),
  CONSTRAINT face_handoffs_flow_fk FOREIGN KEY (flow_id) REFERENCES reset_flows (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
