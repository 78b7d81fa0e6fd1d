-- 023: running it in production (issue #22, backup, key rotation, admin console).
-- Key rotation: `rekeyctl keys reseal` reads the rows not under the
-- current key of data at rest and `keys retire` counts a key's rows; both by
-- key_id. TOTP secrets get a key id too: the rows sealed so far are under
-- key 1, whose TOTP key is the server key's subkey 5 as before.
ALTER TABLE evidence ADD KEY evidence_key (key_id);
ALTER TABLE identity_photos ADD KEY identity_photos_key (key_id);
ALTER TABLE totp_bindings ADD COLUMN key_id INT NOT NULL DEFAULT 1, ADD KEY totp_bindings_key (key_id);
-- The admin console (/review/admin.html, api/admin.c) runs as rekey_review
-- like the rest of the review API: an admin adds reviewers, changes their
-- roles, disables and enables them, and mints enrolment links; it reads the
-- outbox's state (delivery health), never a message's body beyond what it
-- selects.
GRANT INSERT, UPDATE (roles, disabled_at) ON reviewers TO 'rekey_review'@'localhost';
GRANT INSERT ON reviewer_enrolments TO 'rekey_review'@'localhost';
GRANT SELECT (id, channel, created_at, sent_at, attempts, next_attempt_at, last_error) ON outbox TO 'rekey_review'@'localhost';
