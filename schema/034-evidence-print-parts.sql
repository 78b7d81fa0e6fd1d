-- 034: near-identical screenshots in other accounts' cases found by an index
-- (issue #21). An upload asks which other cases hold an image whose 64-bit
-- perceptual fingerprint is within 4 bits of its own (a possible fraud ring:
-- STMT_EVIDENCE_RING). That was a read of every evidence row for every
-- upload: 20 ms of server CPU with 7,700 rows (the 1m bench), growing with
-- the evidence ever kept. Split into five parts (13, 13, 13, 13 and 12
-- bits), two fingerprints that differ in at most 4 bits agree on at least one
-- whole part (4 differing bits touch at most 4 parts). Each part is a column
-- with its own index: the statement reads the rows that share a part
-- (index_merge over the five) and keeps those within 4 bits, as before, so
-- the answer is the same. The parts are set by triggers from the
-- fingerprint on every write (plain columns, not generated ones, for the
-- reason given in 029); the statement computes the upload's own parts with
-- the same shifts.
ALTER TABLE evidence ADD COLUMN fp_a SMALLINT UNSIGNED NULL, ADD COLUMN fp_b SMALLINT UNSIGNED NULL,
  ADD COLUMN fp_c SMALLINT UNSIGNED NULL, ADD COLUMN fp_d SMALLINT UNSIGNED NULL, ADD COLUMN fp_e SMALLINT UNSIGNED NULL, ALGORITHM=INSTANT;
CREATE TRIGGER evidence_print_parts_insert BEFORE INSERT ON evidence FOR EACH ROW
  SET NEW.fp_a = (NEW.fingerprint >> 51) & 8191, NEW.fp_b = (NEW.fingerprint >> 38) & 8191, NEW.fp_c = (NEW.fingerprint >> 25) & 8191,
    NEW.fp_d = (NEW.fingerprint >> 12) & 8191, NEW.fp_e = NEW.fingerprint & 4095;
CREATE TRIGGER evidence_print_parts_update BEFORE UPDATE ON evidence FOR EACH ROW
  SET NEW.fp_a = (NEW.fingerprint >> 51) & 8191, NEW.fp_b = (NEW.fingerprint >> 38) & 8191, NEW.fp_c = (NEW.fingerprint >> 25) & 8191,
    NEW.fp_d = (NEW.fingerprint >> 12) & 8191, NEW.fp_e = NEW.fingerprint & 4095;
-- the rows already kept: each an UPDATE, whose trigger sets the parts
UPDATE evidence SET fp_a = NULL;
ALTER TABLE evidence ADD KEY evidence_fp_a (fp_a), ADD KEY evidence_fp_b (fp_b), ADD KEY evidence_fp_c (fp_c),
  ADD KEY evidence_fp_d (fp_d), ADD KEY evidence_fp_e (fp_e), ALGORITHM=INPLACE, LOCK=NONE;
