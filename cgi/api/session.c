/* api/session.c -- sign-in, sign-out, the second factor, the session list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

int
h_session_create(struct req *r)
{
	struct app *a = r->app;
	char email[256], csrf[40];
	const char *pw = json_string_value(json_object_get(r->in, "password"));
	struct account_login l;
	struct dbrows rows;
	uint64_t account;
	int rc, allowed_email, allowed_ip = 1, need_totp = 0, npasskeys = 0, known;
	char device[96];
	json_t *factors;

	snprintf(email, sizeof email, "%s", json_string_value(json_object_get(r->in, "email")));
	account_email_normalize(email);
	if ((rc = account_find(a, email, &l)) != RK_OK)
		return rc;
	account = l.id;
	/* limits per IP, and per email (known or not, so the answer never
	 * differs) -- except for a browser that signed in to this very account
	 * before: it has a budget of its own, so that strangers who exhaust
	 * the email's budget cannot lock the owner out (issue #14 finding 4;
	 * OWASP "device cookies"). Passkey sign-in has no per-email limit. */
	known = l.found && session_device_known(r, account, device, sizeof device);
	if ((allowed_email = known ? rate_hit(a, "signin:device", device, strlen(device), a->cfg.signin_limit_account,
	    a->cfg.signin_window_seconds) : rate_hit(a, "signin:email", email, strlen(email), a->cfg.signin_limit_account,
	    a->cfg.signin_window_seconds)) < 0 ||
	    (allowed_ip = rate_hit(a, "signin:ip", r->ip, strlen(r->ip), a->cfg.signin_limit_ip,
	    a->cfg.signin_window_seconds)) < 0)
		return allowed_email < 0 ? allowed_email : allowed_ip;
	if (!allowed_email || !allowed_ip)
		return http_fail(r, SP_TOO_MANY_SIGNINS);
	if (!account_password_ok(a, &l, pw))
		return http_fail(r, SP_INVALID_CREDENTIALS);
	if ((rc = db_query(a->db, STMT_TOTP_GET, DBARGS(DB_I(account)), &rows)) != RK_OK)
		return rc;
	need_totp = rows.nrows == 1 && db_cell_ll(&rows, 0, 1) == 1;
	db_rows_free(&rows);
	if ((rc = webauthn_count(a, account, &npasskeys)) != RK_OK)
		return rc;
	if ((rc = known ? rate_clear(a, "signin:device", device, strlen(device)) : rate_clear(a, "signin:email", email, strlen(email))) != RK_OK)
		return rc;
	if ((rc = session_start(r, account, !need_totp && npasskeys == 0, "password")) != RK_OK)
		return rc;
	session_csrf(a, r->sess.token_hash, csrf);
	factors = json_array();
	if (npasskeys > 0)
		json_array_append_new(factors, json_string("passkey"));
	if (need_totp)
		json_array_append_new(factors, json_string("totp"));
	http_json(r, 200, json_pack("{s:s,s:o,s:s}", "status", json_array_size(factors) ? "second_factor_required" : "signed_in",
	    "factors", factors, "csrf", csrf));
	return RK_OK;
}

int
h_session_totp(struct req *r)
{
	struct app *a = r->app;
	const char *code = json_string_value(json_object_get(r->in, "code"));
	char csrf[40];
	int rc, allowed, promoted;

	if (r->sess.full)
		return http_fail(r, SP_ALREADY_SIGNED_IN);
	if ((allowed = rate_hit(a, "signin:totp", &r->sess.id, sizeof r->sess.id, 5, a->cfg.signin_window_seconds)) < 0)
		return allowed;
	if (!allowed)
		return http_fail(r, SP_TOO_MANY_TOTP);
	if ((rc = tools_totp_check(a, r->sess.account_id, code)) < 0)
		return rc;
	if (rc == 0)
		return http_fail(r, SP_CODE_WRONG);
	if ((rc = session_promote(r, "password+totp", &promoted)) != RK_OK)
		return rc;
	if (!promoted)
		return http_fail(r, SP_ALREADY_SIGNED_IN);
	session_csrf(a, r->sess.token_hash, csrf);
	http_json(r, 200, json_pack("{s:s,s:s}", "status", "signed_in", "csrf", csrf));
	return RK_OK;
}

int
h_session_delete(struct req *r)
{
	int rc = db_exec(r->app->db, STMT_SESSION_REVOKE, DBARGS(DB_I(r->sess.id), DB_I(r->sess.account_id)), NULL, NULL);
	if (rc != RK_OK)
		return rc;
	session_cookie_clear(r);
	http_json(r, 204, NULL);
	return RK_OK;
}

int
h_sessions_list(struct req *r)
{
	struct dbrows rows;
	json_t *list = json_array();
	int rc = db_query(r->app->db, STMT_SESSION_LIST, DBARGS(DB_I(r->sess.account_id),
	    DB_I(r->app->cfg.session_idle_seconds)), &rows);

	if (rc != RK_OK) {
		json_decref(list);
		return rc;
	}
	for (unsigned i = 0; i < rows.nrows; i++)
		json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b}",
		    "id", (json_int_t)db_cell_ll(&rows, i, 0), "stage", db_cell(&rows, i, 1, NULL),
		    "created_at", db_cell(&rows, i, 2, NULL), "last_seen_at", db_cell(&rows, i, 3, NULL),
		    "ip", db_cell(&rows, i, 4, NULL), "user_agent", db_cell(&rows, i, 5, NULL),
		    "current", (uint64_t)db_cell_ll(&rows, i, 0) == r->sess.id));
	db_rows_free(&rows);
	http_json(r, 200, json_pack("{s:o}", "sessions", list));
	return RK_OK;
}

int
h_sessions_revoke(struct req *r)
{
	uint64_t aff = 0, id = strtoull(r->param, NULL, 10);
	int rc = db_exec(r->app->db, STMT_SESSION_REVOKE, DBARGS(DB_I(id), DB_I(r->sess.account_id)), &aff, NULL);

	if (rc != RK_OK)
		return rc;
	if (aff != 1) /* not this account's, or already ended: the same answer */
		return http_fail(r, SP_NOT_FOUND_SESSION);
	if ((rc = audit_append(r->app, r->sess.account_id, "session_revoked", "account", r->ip,
	    json_pack("{s:I}", "session", (json_int_t)id))) != RK_OK)
		return rc;
	if (id == r->sess.id)
		session_cookie_clear(r);
	http_json(r, 204, NULL);
	return RK_OK;
}

/* Sign out everywhere else (#23; OWASP ASVS 5.0 7.4.3, offered after a
 * factor changed): every other live session of the account ends in one
 * statement; this one stays. Audited, and told when it ended any. */
int
h_sessions_revoke_others(struct req *r)
{
	uint64_t n = 0;
	char count[24];
	int rc = db_exec(r->app->db, STMT_SESSION_REVOKE_OTHERS, DBARGS(DB_I(r->sess.account_id), DB_I(r->sess.id)), &n, NULL);

	if (rc != RK_OK)
		return rc;
	if ((rc = audit_append(r->app, r->sess.account_id, "sessions_revoked_others", "account", r->ip,
	    json_pack("{s:I,s:I}", "kept", (json_int_t)r->sess.id, "revoked", (json_int_t)n))) != RK_OK)
		return rc;
	snprintf(count, sizeof count, "%llu", (unsigned long long)n);
	if (n > 0 && (rc = mail_notice(r->app, r, r->sess.account_id, NOTICE_SESSIONS_REVOKED,
	    (const char *const[]){ "n", count, "ip", r->ip, NULL })) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:I}", "revoked", (json_int_t)n));
	return RK_OK;
}

/* Step-up (issue #17 item 6): GET says whether this session used a second
 * factor within step_up_seconds and which factors the account can use. */
int
h_step_up_get(struct req *r)
{
	struct app *a = r->app;
	unsigned char secret[64];
	size_t len = 0;
	long long last;
	char until[32];
	int fresh = 0, npasskeys = 0, confirmed = 0, found, rc;
	json_t *methods;

	if ((rc = session_stepped_up(r, &fresh, until)) != RK_OK || (rc = webauthn_count(a, r->sess.account_id, &npasskeys)) != RK_OK)
		return rc;
	if ((found = tools_totp_secret(a, r->sess.account_id, secret, &len, &confirmed, &last)) < 0)
		return found;
	sodium_memzero(secret, sizeof secret);
	methods = json_array();
	if (npasskeys > 0)
		json_array_append_new(methods, json_string("passkey"));
	if (found == 1 && confirmed)
		json_array_append_new(methods, json_string("totp"));
	http_json(r, 200, json_pack("{s:b,s:o,s:o,s:i}", "fresh", fresh, "until", fresh ? json_string(until) : json_null(),
	    "methods", methods, "step_up_seconds", a->cfg.step_up_seconds));
	return RK_OK;
}

/* Request options for a step-up with a passkey: this account's passkeys only. */
int
h_step_up_options(struct req *r)
{
	json_t *out;
	int rc = webauthn_request_options(r, &pk_accounts, r->sess.account_id, &out);
	if (rc == RK_OK)
		http_json(r, 200, out);
	return rc;
}

/* The step-up itself: a passkey assertion of this account (the challenge is
 * bound to this session; another account's passkey is refused) or a TOTP
 * code (single use per step; 5 wrong codes per sign-in window and session). */
int
h_step_up(struct req *r)
{
	struct app *a = r->app;
	const char *method = json_string_value(json_object_get(r->in, "method"));
	char until[32];
	int rc, fresh = 0;

	if (strcmp(method, "passkey") == 0) {
		uint64_t pk = 0, account = 0;
		int ok = 0;
		if ((rc = webauthn_assert(r, json_object_get(r->in, "response"), &pk, &account, &ok)) != RK_OK || !ok)
			return rc;
	} else {
		int allowed = rate_hit(a, "stepup:totp", &r->sess.id, sizeof r->sess.id, 5, a->cfg.signin_window_seconds);
		if (allowed < 0)
			return allowed;
		if (!allowed)
			return http_fail(r, SP_TOO_MANY_CODES);
		if ((rc = tools_totp_check(a, r->sess.account_id, json_string_value(json_object_get(r->in, "code")))) < 0)
			return rc;
		if (rc == 0)
			return http_fail(r, SP_CODE_WRONG_TOTP);
	}
	if ((rc = session_step_up_mark(r, method)) != RK_OK || (rc = session_stepped_up(r, &fresh, until)) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:b,s:s}", "fresh", fresh, "until", until));
	return RK_OK;
}
