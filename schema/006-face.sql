-- 006: Case 2 face verification, manual provider: camera frames are evidence
-- like screenshots (same checks, same sealing), and the case keeps the
-- country of residence the user gave before the capture.
ALTER TABLE evidence MODIFY kind ENUM('operator_email','counterparty_tx','face_frame') NOT NULL;
ALTER TABLE reset_cases ADD COLUMN residence_country CHAR(2) NULL;
