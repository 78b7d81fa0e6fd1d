-- 018: a fraudulent reset can be undone (#18). A reset or a deletion no
-- longer deletes passkeys: it suspends them until the end of the dispute
-- window (dispute_hours); a suspended passkey signs nothing, and the sweep
-- deletes it after the window. The "this was not me" link of the reset's or
-- the deletion's mail (freeze_links, kind 'undo') restores them, revokes
-- what was bound since the event, freezes the account and reopens the case
-- as 'disputed' for a four-eyes decision. A freeze code (settings, shown
-- once) freezes the account from /freeze.html without the mailbox.
ALTER TABLE passkeys
  ADD COLUMN suspended_at DATETIME(6) NULL,          -- the event (freeze_links.event_at) that suspended it
  ADD COLUMN suspended_until DATETIME(6) NULL,       -- end of the dispute window; NULL: active
  ADD COLUMN suspended_source VARCHAR(64) NULL,      -- reset_case:N | delete_flow:N
  ADD KEY passkeys_suspended (suspended_until);

ALTER TABLE freeze_links
  ADD COLUMN kind ENUM('freeze','undo') NOT NULL DEFAULT 'freeze',
  ADD COLUMN event_at DATETIME(6) NULL,              -- undo: what was bound at or after this is revoked
  ADD COLUMN case_id BIGINT UNSIGNED NULL;           -- undo of a reset: the case reopened as disputed

ALTER TABLE reset_cases
  MODIFY status ENUM('verifying','awaiting_evidence','under_review','needs_more_info','approved','rejected','completed','expired',
    'disputed') NOT NULL,
  ADD COLUMN first_decision ENUM('approve','reject') NULL; -- a disputed case: what the first reviewer decided

CREATE TABLE freeze_codes (
  account_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  code_hash BINARY(32) NOT NULL,                     -- keyed hash only; the code is shown once
  created_at DATETIME(6) NOT NULL,
  used_at DATETIME(6) NULL,
  CONSTRAINT freeze_codes_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB;

-- rekey_app: the undo revokes a TOTP app or phone bound since the event
GRANT DELETE ON totp_bindings TO 'rekey_app'@'localhost';
GRANT DELETE ON phones TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON freeze_codes TO 'rekey_app'@'localhost';
-- rekey_review: an approval suspends passkeys and mails an undo link; a
-- dispute's decision unfreezes the account and removes passkeys
GRANT UPDATE (frozen) ON accounts TO 'rekey_review'@'localhost';
GRANT UPDATE ON passkeys TO 'rekey_review'@'localhost';
GRANT SELECT, INSERT ON freeze_links TO 'rekey_review'@'localhost';
