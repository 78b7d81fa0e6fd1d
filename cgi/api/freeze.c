/* api/freeze.c -- freezing an account (#18): the "this was not me" link of a
 * mail (an undo link undoes the reset or deletion it came with), "Freeze my
 * account" in settings, and the freeze code, for a person whose mailbox
 * was taken. Freezing is always allowed: no second factor is asked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

/* "This was not me": once. A link from a reset's or a deletion's mail undoes
 * it (store/dispute.c), within the dispute window; an older freeze link
 * only freezes. */
int
h_account_freeze(struct req *r)
{
	struct app *a = r->app;
	const char *token = json_string_value(json_object_get(r->in, "token"));
	unsigned char th[32];
	struct dbrows rows;
	uint64_t id, account, aff = 0;
	char kind[8], event_at[40], source[64];
	int rc, used, expired;
	json_t *out = NULL;

	if (keys_token_hash(a->keys.link, "freeze", token, th) != 0)
		return http_fail(r, SP_LINK_INVALID);
	if ((rc = db_query(a->db, STMT_FREEZE_GET, DBARGS(DB_B(th, 32)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_LINK_INVALID);
	}
	id = (uint64_t)db_cell_ll(&rows, 0, 0);
	account = (uint64_t)db_cell_ll(&rows, 0, 1);
	used = db_cell_ll(&rows, 0, 2) == 1;
	expired = db_cell_ll(&rows, 0, 3) == 1;
	snprintf(kind, sizeof kind, "%s", db_cell(&rows, 0, 4, NULL));
	snprintf(event_at, sizeof event_at, "%s", db_cell(&rows, 0, 5, NULL));
	snprintf(source, sizeof source, "%s", db_cell(&rows, 0, 6, NULL));
	db_rows_free(&rows);
	if (used)
		return http_fail(r, SP_LINK_USED);
	if (expired) /* the dispute window is over: the suspended passkeys are gone */
		return http_fail(r, SP_LINK_EXPIRED);
	if ((rc = db_exec(a->db, STMT_FREEZE_USE, DBARGS(DB_I(id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail(r, SP_LINK_USED);
	if (strcmp(kind, "undo") == 0 && event_at[0]) {
		if ((rc = dispute_undo(r, id, account, event_at, source, &out)) != RK_OK)
			return rc;
		http_json(r, 200, out);
		return RK_OK;
	}
	if ((rc = dispute_freeze(a, account, "account_frozen", json_pack("{s:I}", "link", (json_int_t)id), "account", r->ip,
	    "mail.frozen.body")) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:b}", "frozen", 1));
	return RK_OK;
}

/* Settings: Freeze my account -- one click and a confirmation. */
int
h_account_freeze_self(struct req *r)
{
	int rc;

	if (!json_is_true(json_object_get(r->in, "confirm")))
		return http_fail(r, SP_FREEZE_CONFIRM);
	if ((rc = dispute_freeze(r->app, r->sess.account_id, "account_frozen", json_pack("{s:s}", "by", "settings"), "account", r->ip,
	    "mail.frozen.body")) != RK_OK)
		return rc;
	session_cookie_clear(r);
	http_json(r, 200, json_pack("{s:b}", "frozen", 1));
	return RK_OK;
}

/* Settings: a new freeze code, shown once (the old one stops working). */
int
h_freeze_code_new(struct req *r)
{
	char code[FREEZE_CODE_LEN + 1];
	int rc;

	/* recovery information: a session thief must not replace the owner's printed code (step-up, #17 item 6) */
	if ((rc = session_require_step_up(r, 1)) != RK_OK)
		return rc;
	if ((rc = dispute_freeze_code_new(r->app, r->sess.account_id, code)) != RK_OK ||
	    (rc = audit_append(r->app, r->sess.account_id, "freeze_code_issued", "account", r->ip, NULL)) != RK_OK ||
	    (rc = mail_notice(r->app, r, r->sess.account_id, NOTICE_FREEZE_CODE_MADE, NULL)) != RK_OK) {
		sodium_memzero(code, sizeof code);
		return rc;
	}
	http_json(r, 201, json_pack("{s:s}", "code", code));
	sodium_memzero(code, sizeof code);
	return RK_OK;
}

/* /freeze.html: the email address and the freeze code, signed out. An
 * unknown address and a wrong code get the same answer; tries are limited
 * per address and per IP like sign-ins. */
int
h_account_freeze_code(struct req *r)
{
	struct app *a = r->app;
	char email[256];
	const char *code = json_string_value(json_object_get(r->in, "code"));
	struct account_login l;
	uint64_t aff = 0;
	int rc, ok_email, ok_ip, ok = 0;

	snprintf(email, sizeof email, "%s", json_string_value(json_object_get(r->in, "email")));
	account_email_normalize(email);
	if ((ok_email = rate_hit(a, "freeze:email", email, strlen(email), a->cfg.signin_limit_account, a->cfg.signin_window_seconds)) < 0)
		return ok_email;
	if ((ok_ip = rate_hit(a, "freeze:ip", r->ip, strlen(r->ip), a->cfg.signin_limit_ip, a->cfg.signin_window_seconds)) < 0)
		return ok_ip;
	if (!ok_email || !ok_ip)
		return http_fail(r, SP_TOO_MANY_ATTEMPTS);
	if ((rc = account_find(a, email, &l)) != RK_OK ||
	    (rc = dispute_freeze_code_check(a, l.found ? l.id : 0, code, &ok)) != RK_OK)
		return rc;
	if (!l.found || !ok)
		return http_fail(r, SP_FREEZE_CODE_WRONG);
	if ((rc = db_exec(a->db, STMT_FREEZE_CODE_USE, DBARGS(DB_I(l.id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1) /* a racing use of the same code */
		return http_fail(r, SP_FREEZE_CODE_WRONG);
	if ((rc = dispute_freeze(a, l.id, "account_frozen", json_pack("{s:s}", "by", "freeze_code"), "account", r->ip,
	    "mail.frozen.body")) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:b}", "frozen", 1));
	return RK_OK;
}
