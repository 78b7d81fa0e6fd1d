/* base/mail.h -- the outbox: a message is a row first (jobs/deliver.c sends it),
 * and the one table of security notices (issue #17 item 5). */
#ifndef REKEY_BASE_MAIL_H
#define REKEY_BASE_MAIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "i18n.h"

struct app;
struct req;

/* Every security notice Rekey sends, one row per event: X(id, event, key,
 * sms, not_me). Its words are the catalogue's (#20), in the account's
 * language: "mail.<key>.subject" and "mail.<key>.body" (web/i18n/<lang>.json).
 * Each goes to every address on record (the account's email,
 * every confirmed second address) and, with sms 1, by SMS to a bound phone;
 * each mail carries the anti-phishing code, the time and zone, the device and
 * coarse location of the request, the support contact and, with not_me 1, a
 * single-use "this was not me" link that freezes the account (not_me 0: the
 * body carries its own link, or the account is frozen already). */
#define NOTICE_TABLE(X) \
	X(NOTICE_PASSKEY_ADDED, "passkey_added", "passkey_added", 1, 1) \
	X(NOTICE_PASSKEY_RENAMED, "passkey_renamed", "passkey_renamed", 1, 1) \
	X(NOTICE_PASSKEY_DELETED, "passkey_deleted", "passkey_deleted", 1, 0) \
	X(NOTICE_PASSKEY_CLONED, "passkey_cloned", "cloned", 1, 1) \
	X(NOTICE_TOTP_BOUND, "totp_bound", "bound.totp", 1, 1) \
	X(NOTICE_PHONE_BOUND, "phone_bound", "bound.phone", 1, 1) \
	X(NOTICE_RECOVERY_CODES_MADE, "recovery_codes_made", "recovery_codes_made", 1, 1) \
	X(NOTICE_RECOVERY_CODE_USED, "recovery_code_used", "recovery_code_used", 1, 1) \
	X(NOTICE_CONTACT_ADDED, "contact_added", "contact_added", 1, 1) \
	X(NOTICE_CONTACT_REMOVED, "contact_removed", "contact_removed", 1, 1) \
	X(NOTICE_ANTI_PHISHING_SET, "anti_phishing_set", "anti_phishing_set", 1, 1) \
	X(NOTICE_SIGNIN_NEW_DEVICE, "signin_new_device", "signin_new_device", 1, 1) \
	X(NOTICE_RESET_STARTED, "reset_started", "reset_started", 1, 1) \
	X(NOTICE_CASE_REVIEW_FACE, "case_under_review", "review.pictures", 1, 1) \
	X(NOTICE_CASE_REVIEW_DOCUMENTS, "case_under_review", "review.documents", 1, 1) \
	X(NOTICE_CASE_MORE_INFO, "case_more_info", "more_info", 1, 1) \
	X(NOTICE_CASE_REJECTED, "case_rejected", "rejected", 1, 1) \
	X(NOTICE_RESET_COMPLETED, "reset_completed", "reset_done", 1, 1) \
	X(NOTICE_HOLD_STARTED, "hold_started", "hold", 1, 1) \
	X(NOTICE_ACCOUNT_FROZEN, "account_frozen", "frozen", 1, 0) \
	X(NOTICE_FREEZE_CODE_MADE, "freeze_code_made", "freeze_code_made", 1, 1) \
	X(NOTICE_DISPUTE_OWNER_KEEPS, "dispute_owner_keeps", "dispute_owner_keeps", 1, 0) \
	X(NOTICE_DISPUTE_RESET_STANDS, "dispute_reset_stands", "dispute_reset_stands", 1, 1) \
	X(NOTICE_PASSWORD_CHANGED, "password_changed", "password_changed", 1, 0) \
	X(NOTICE_PASSWORD_RESET, "password_reset", "password_reset", 1, 0) \
	X(NOTICE_SESSIONS_REVOKED, "sessions_revoked", "sessions_revoked", 1, 1)

#define NOTICE_ENUM(id, ev, key, sms, notme) id,
enum notice { NOTICE_TABLE(NOTICE_ENUM) NOTICE__MAX };
#undef NOTICE_ENUM

struct notice_def {
	const char *event, *key; /* key: the catalogue's "mail.<key>.subject" and ".body" */
	int sms, not_me;
};
/* The row of n; abort()s on an impossible index. */
const struct notice_def *notice_get(enum notice n);

int mail_queue(struct app *a, uint64_t account, const char *channel, const char *recipient,
    const char *subject, const char *body);
/* The notice n to every channel on record, in the account's language: the
 * catalogue's "mail.<key>.body" formatted with VARS (name, value, ..., NULL;
 * i18n_format()) followed by the common part (When/Device/Where, the freeze
 * link, the support line), all from the catalogue. R is the request that
 * caused it, for the device and location; NULL when none did (a reviewer's
 * decision is one: the reviewer's browser is not the account holder's). */
int mail_notice(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *const *vars);
/* The same for a reset or a deletion, whose body states its own "this was
 * not me" undo link UNDO (#18): the SMS carries it too, no freeze link is added. */
int mail_notice_undo(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *const *vars, const char *undo);
/* Either of the above with the body of another key, BODY_KEY (a full key,
 * "mail.review.pictures_provider.body"), when one event has more than one
 * wording; BODY_KEY NULL is the row's own; UNDO as mail_notice_undo(). */
int mail_notice_as(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *body_key,
    const char *const *vars, const char *undo);
/* A database time ("2026-12-02T13:13:59.709035Z") as people of the
 * account's language L read it in a mail ("2 December 2026, 13:13 UTC") in
 * OUT; the input itself when it does not parse. */
const char *mail_time(enum i18n_lang l, const char *iso, char *out, size_t outlen);
/* The account's language for its mails and SMS (#20): the one saved on the
 * account, else English (also when the account cannot be read). */
enum i18n_lang mail_lang(struct app *a, uint64_t account);
/* The fixed first line of every mail to an account: its anti-phishing code
 * (#17), in the account's language L. */
int mail_anti_phishing_line(struct app *a, uint64_t account, enum i18n_lang l, char *out, size_t outlen);

#endif
