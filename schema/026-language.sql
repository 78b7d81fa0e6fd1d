-- 026: the language of each account and reviewer (issue #20): the pages,
-- mails and SMS of an account in its language, the review console in the
-- reviewer's. NULL: not chosen yet (the pages then follow Accept-Language
-- and save what the person reads at the next signed-in page). The codes are
-- the catalogues' (web/i18n/<code>.json; cgi/base/i18n.h).
ALTER TABLE accounts ADD COLUMN language VARCHAR(8) NULL;
ALTER TABLE reviewers ADD COLUMN language VARCHAR(8) NULL;
-- the console shows each case's user language, and mails a decision in it
GRANT SELECT (language) ON accounts TO 'rekey_review'@'localhost';
GRANT UPDATE (language) ON reviewers TO 'rekey_review'@'localhost';
