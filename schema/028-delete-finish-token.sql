-- 028: which request finished a delete flow. The completion writes a random
-- token of its own with the conditional UPDATE that decides the one winner;
-- before COMMIT, and again after it, the request reads the row back and
-- answers 200 only when the token is its own. On Galera a transaction can be
-- aborted by another node's write-set without the error reaching the client
-- (seen in make reliability CLUSTER=1: two completions of one flow both
-- answered 200), so the statement's affected-row count alone does not prove
-- that the row change survived until COMMIT.
ALTER TABLE delete_flows ADD COLUMN finish_token BINARY(16) NULL AFTER factor;
