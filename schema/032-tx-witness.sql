-- 032: the write transactions' witness (cgi/base/db.c, db_tx_witness; issue
-- #15). Under the cluster races a transaction was aborted by another node's
-- write-set with no error reaching any of its statements: its first
-- statements were rolled back and the later ones committed on their own. Each
-- process of rekeyd has a row here (a random id); a request's write transaction
-- begins by writing a token of its own on it, COMMIT is preceded by a
-- conditional UPDATE that finds that token (and moves it to a second one) and
-- followed by a read that finds the second: a transaction that lost its
-- beginning, or whose COMMIT committed nothing of it, is caught and run again.
-- One row per process, written only by that process: no conflicts between
-- nodes. The sweep removes rows untouched for a day (processes gone).
CREATE TABLE tx_witness (
  id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  token BINARY(16) NOT NULL,
  at DATETIME(6) NOT NULL,
  KEY tx_witness_at (at)
) ENGINE=InnoDB;
-- rekey_app: its own rows, and the sweep (the delivery process) of rows a day old
GRANT SELECT, INSERT, UPDATE, DELETE ON tx_witness TO 'rekey_app'@'localhost';
GRANT SELECT, INSERT, UPDATE ON tx_witness TO 'rekey_review'@'localhost';
