/* store/password.h -- passwords (issue #23): the one policy (the core's),
 * setting one (argon2id), what a changed password does (sessions revoked, a
 * withdrawal hold, a notice with the "this was not me" link, audited), and
 * the forgotten-password flow's row (schema 024). */
#ifndef REKEY_STORE_PASSWORD_H
#define REKEY_STORE_PASSWORD_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"
#include "../../wasm/problem.h"

/* The core's password policy (wasm/validate.c: length, repetition, the
 * common-password list): PROB_OK or the first problem. The same verdict the
 * pages show before they send. */
enum problem password_policy(const char *pw);
/* Stores pw's argon2id hash as the account's password. */
int password_set(struct app *a, uint64_t account, const char *pw);
/* A password was changed or reset: every session of the account revoked but
 * keep_session (0: every one), withdrawals held for hold_hours, a notice to
 * every channel with a "this was not me" link, audited as event with
 * detail. *hold (the hold as GET /api/me shows it) and *revoked are for the
 * answer. */
int password_changed(struct req *r, uint64_t account, uint64_t keep_session, const char *event, const char *source,
    const char *factor, json_t **hold, uint64_t *revoked);

/* The forgotten-password flow of this browser (its cookie). */
#define PWRESET_TRIES 5 /* wrong codes per step, then the flow is dead */
struct pwreset {
	uint64_t id, account;
	int has_account, code_tries, factor_tries, expired;
	char state[16], email[256], factor[16];
};
/* A new flow for this browser (the cookie set), account 0 when the email matched none. */
int pwreset_start(struct req *r, const char *email, uint64_t account, uint64_t *id);
/* The browser's flow, locked; 404 (RK_REFUSED) when none, 410 when expired or dead. */
int pwreset_open(struct req *r, struct pwreset *f);
/* The second factors the account can use, and whether it is frozen. */
int password_factors(struct app *a, uint64_t account, int *passkey, int *totp, int *frozen);
/* The flow ended (done): its cookie is deleted. */
void pwreset_cookie_clear(struct req *r);

#endif
