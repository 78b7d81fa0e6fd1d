-- 012: an audit entry moves its chain's head inside its own INSERT (a
-- trigger, run with the migrating user's rights), so an append is the
-- head's locking read and one INSERT (it was a third statement, an UPDATE
-- of the head, from the application). The head moves only to an entry that
-- extends it (the next seq, chained on the head's hash); anything else
-- leaves it where it is, which `rekeyctl audit-verify` reports and the next
-- append's (chain, seq) key refuses. The application's users lose UPDATE on
-- audit_heads: they can add entries, never rewind or rewrite a head.
CREATE TRIGGER audit_log_moves_head AFTER INSERT ON audit_log FOR EACH ROW
  UPDATE audit_heads SET seq = NEW.seq, hash = NEW.hash
  WHERE chain_id = NEW.chain_id AND seq = NEW.seq - 1 AND hash = NEW.prev_hash;
REVOKE UPDATE ON audit_heads FROM 'rekey_app'@'localhost';
REVOKE UPDATE ON audit_heads FROM 'rekey_review'@'localhost';
