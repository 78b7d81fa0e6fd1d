-- 013: the sweep (cgi/sweep.c). Rows that only ever mattered until they
-- expired -- WebAuthn challenges, one-time codes, ended rate-limit windows,
-- reset flows that never opened a case -- are deleted a while after they
-- expire, by the delivery process (as rekey_app) or `rekeyctl sweep`: the
-- tables stay the size of their live rows, and no stale secret material
-- (challenge bytes, code hashes) is kept. Each gets an index on its expiry
-- so that a sweep reads only what it deletes.
ALTER TABLE webauthn_challenges ADD KEY challenges_expiry (expires_at);
ALTER TABLE codes ADD KEY codes_expiry (expires_at);
ALTER TABLE rate_limits ADD KEY rate_limits_window (window_end);
ALTER TABLE reset_flows ADD KEY reset_flows_expiry (expires_at);
GRANT DELETE ON webauthn_challenges TO 'rekey_app'@'localhost';
GRANT DELETE ON codes TO 'rekey_app'@'localhost';
GRANT DELETE ON reset_flows TO 'rekey_app'@'localhost';
