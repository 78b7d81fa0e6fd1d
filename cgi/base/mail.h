/* base/mail.h -- the outbox: a message is a row first (jobs/deliver.c sends it),
 * and the one table of security notices (issue #17 item 5). */
#ifndef REKEY_BASE_MAIL_H
#define REKEY_BASE_MAIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

struct app;
struct req;

/* Every security notice Rekey sends, one row per event: X(id, event, subject,
 * sms, not_me). Each goes to every address on record (the account's email,
 * every confirmed second address) and, with sms 1, by SMS to a bound phone;
 * each mail carries the anti-phishing code, the time and zone, the device and
 * coarse location of the request, the support contact and, with not_me 1, a
 * single-use "this was not me" link that freezes the account (not_me 0: the
 * body carries its own link, or the account is frozen already). */
#define NOTICE_TABLE(X) \
	X(NOTICE_PASSKEY_ADDED, "passkey_added", "Passkey added", 1, 1) \
	X(NOTICE_PASSKEY_RENAMED, "passkey_renamed", "Passkey renamed", 1, 1) \
	X(NOTICE_PASSKEY_DELETED, "passkey_deleted", "Passkey deleted, withdrawals on hold", 1, 0) \
	X(NOTICE_PASSKEY_CLONED, "passkey_cloned", "A passkey may have been cloned", 1, 1) \
	X(NOTICE_TOTP_BOUND, "totp_bound", "Authenticator app bound", 1, 1) \
	X(NOTICE_PHONE_BOUND, "phone_bound", "Phone number bound", 1, 1) \
	X(NOTICE_RECOVERY_CODES_MADE, "recovery_codes_made", "New recovery codes made", 1, 1) \
	X(NOTICE_RECOVERY_CODE_USED, "recovery_code_used", "A recovery code was used", 1, 1) \
	X(NOTICE_CONTACT_ADDED, "contact_added", "Notification address added", 1, 1) \
	X(NOTICE_CONTACT_REMOVED, "contact_removed", "Notification address removed", 1, 1) \
	X(NOTICE_ANTI_PHISHING_SET, "anti_phishing_set", "Anti-phishing code changed", 1, 1) \
	X(NOTICE_SIGNIN_NEW_DEVICE, "signin_new_device", "Sign-in from a new device", 1, 1) \
	X(NOTICE_RESET_STARTED, "reset_started", "Passkey reset started", 1, 1) \
	X(NOTICE_CASE_REVIEW_FACE, "case_under_review", "Your pictures are under review", 1, 1) \
	X(NOTICE_CASE_REVIEW_DOCUMENTS, "case_under_review", "Your documents are under review", 1, 1) \
	X(NOTICE_CASE_MORE_INFO, "case_more_info", "More information needed for your passkey reset", 1, 1) \
	X(NOTICE_CASE_REJECTED, "case_rejected", "Your passkey reset was not approved", 1, 1) \
	X(NOTICE_RESET_COMPLETED, "reset_completed", "Your passkeys were reset, withdrawals on hold", 1, 1) \
	X(NOTICE_HOLD_STARTED, "hold_started", "Withdrawals are on hold", 1, 1) \
	X(NOTICE_ACCOUNT_FROZEN, "account_frozen", "Account frozen, withdrawals on hold", 1, 0) \
	X(NOTICE_FREEZE_CODE_MADE, "freeze_code_made", "A new freeze code was made", 1, 1) \
	X(NOTICE_DISPUTE_OWNER_KEEPS, "dispute_owner_keeps", "Your account is unfrozen", 1, 0) \
	X(NOTICE_DISPUTE_RESET_STANDS, "dispute_reset_stands", "The passkey reset on your account stands", 1, 1) \
	X(NOTICE_PASSWORD_CHANGED, "password_changed", "Password changed, withdrawals on hold", 1, 0) \
	X(NOTICE_PASSWORD_RESET, "password_reset", "Password reset, withdrawals on hold", 1, 0) \
	X(NOTICE_SESSIONS_REVOKED, "sessions_revoked", "Signed out of every other session", 1, 1)

#define NOTICE_ENUM(id, ev, subj, sms, notme) id,
enum notice { NOTICE_TABLE(NOTICE_ENUM) NOTICE__MAX };
#undef NOTICE_ENUM

struct notice_def {
	const char *event, *subject;
	int sms, not_me;
};
/* The row of n; abort()s on an impossible index. */
const struct notice_def *notice_get(enum notice n);

int mail_queue(struct app *a, uint64_t account, const char *channel, const char *recipient,
    const char *subject, const char *body);
/* The notice n to every channel on record, BODY (what happened, in words)
 * followed by the table's common part. R is the request that caused it, for
 * the device and location; NULL when none did (a reviewer's decision is one:
 * the reviewer's browser is not the account holder's). */
int mail_notice(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *body);
/* The same for a reset or a deletion, whose BODY states its own "this was
 * not me" undo link UNDO (#18): the SMS carries it too, no freeze link is added. */
int mail_notice_undo(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *body, const char *undo);
/* A database time ("2026-12-02T13:13:59.709035Z") as people read it in a mail:
 * "2 December 2026, 13:13 UTC" in OUT; the input itself when it does not parse. */
const char *mail_time(const char *iso, char *out, size_t outlen);
/* The fixed first line of every mail to an account: its anti-phishing code (#17). */
int mail_anti_phishing_line(struct app *a, uint64_t account, char *out, size_t outlen);

#endif
