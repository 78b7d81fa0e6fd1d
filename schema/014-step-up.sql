-- 014: step-up (issue #17 item 6). A session remembers when its holder last
-- used a second factor (a passkey, or a TOTP code): the sign-in itself when
-- it took one, or POST /api/step-up later. Changing recovery information and
-- the tools needs that moment to be recent (step_up_seconds, 5 minutes).
ALTER TABLE sessions ADD COLUMN stepped_up_at DATETIME(6) NULL AFTER revoked_at;
