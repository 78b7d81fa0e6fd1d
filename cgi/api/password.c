/* api/password.c -- passwords (issue #23): change it (signed in: the current
 * password and a fresh second factor), and the forgotten password (signed
 * out, /api/password-reset: the email -> a code by mail -> the account's
 * passkey or TOTP -> a new password). Either way the new password passes the
 * core's policy (the common-password list included), is stored with
 * argon2id, other sessions end, withdrawals are held for hold_hours, and
 * the holder is told on every channel with a "this was not me" link. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api.h"

/* The forgotten password's first step answers no sooner than this after it
 * began, account or not: a known email does more work (the code, its mail,
 * the audit entry: about 5 ms more on the development machine), and without
 * the floor that difference names the account (enumeration by time, like the
 * dummy argon2id hash at sign-in). The worker waits; the request's rate-limit
 * rows stay locked meanwhile, which only slows one email's or one IP's flood. */
#define PWRESET_START_FLOOR_MS 80

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
wait_until(long long deadline_ms)
{
	long long left = deadline_ms - now_ms();
	struct timespec ts;

	if (left <= 0)
		return;
	ts.tv_sec = (time_t)(left / 1000);
	ts.tv_nsec = (long)(left % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* POST /api/account/password. The step-up comes first, so that a stolen
 * session cannot even guess at the password; an account with no passkey and
 * no TOTP has nothing to step up with, and its current password is the only
 * proof it has (first_factor_ok: as when it binds its first factor). */
int
h_password_change(struct req *r)
{
	struct app *a = r->app;
	const char *current = json_string_value(json_object_get(r->in, "current_password"));
	const char *next = json_string_value(json_object_get(r->in, "new_password"));
	struct account_login l;
	char email[256];
	json_t *hold = NULL;
	uint64_t revoked = 0;
	enum problem p;
	int rc, allowed, passkey = 0, totp = 0, frozen = 0;

	if ((rc = session_require_step_up(r, 1)) != RK_OK)
		return rc;
	/* the policy first: a refused new password costs no try (it says nothing of the current one) */
	if ((p = password_policy(next)) != PROB_OK)
		return http_fail_core(r, 400, p, "new_password");
	/* current passwords: 5 a window per account, however many sessions ask (cleared by a change) */
	if ((allowed = rate_hit(a, "password:change", &r->sess.account_id, sizeof r->sess.account_id, 5, a->cfg.signin_window_seconds)) < 0)
		return allowed;
	if (!allowed)
		return http_fail(r, SP_TOO_MANY_ATTEMPTS);
	if ((rc = account_email(a, r->sess.account_id, email, sizeof email)) != RK_OK || (rc = account_find(a, email, &l)) != RK_OK)
		return rc;
	if (!account_password_ok(a, &l, current))
		return http_fail(r, SP_PASSWORD_WRONG);
	if ((rc = password_factors(a, r->sess.account_id, &passkey, &totp, &frozen)) != RK_OK ||
	    (rc = password_set(a, r->sess.account_id, next)) != RK_OK ||
	    (rc = rate_clear(a, "password:change", &r->sess.account_id, sizeof r->sess.account_id)) != RK_OK ||
	    (rc = password_changed(r, r->sess.account_id, r->sess.id, "password_changed", "password_change",
	    passkey || totp ? "step_up" : "password", &hold, &revoked)) != RK_OK) {
		json_decref(hold);
		return rc;
	}
	http_json(r, 200, json_pack("{s:b,s:I,s:o}", "changed", 1, "sessions_revoked", (json_int_t)revoked, "withdrawal_hold", hold));
	return RK_OK;
}

/* ---- the forgotten password ---- */

static void
bound_to(const struct pwreset *f, char out[48])
{
	snprintf(out, 48, "password_reset:%llu", (unsigned long long)f->id);
}

/* A wrong answer at a step: one try counted by a conditional UPDATE (racing
 * requests queue on the flow's row lock and count one each, never past the
 * limit); the last one ends the flow. The answer already in r stays unless
 * the flow died. */
static int
step_failed(struct req *r, struct pwreset *f, enum stmt try_stmt, int tries)
{
	uint64_t aff = 0;
	int rc = db_exec(r->app->db, try_stmt, DBARGS(DB_I(f->id), DB_I(PWRESET_TRIES)), &aff, NULL);

	if (rc != RK_OK)
		return rc;
	if (aff != 1 || tries + 1 >= PWRESET_TRIES) {
		if ((rc = db_exec(r->app->db, STMT_PWRESET_MOVE, DBARGS(DB_S("dead"), DB_I(f->id), DB_S(f->state)), NULL, NULL)) != RK_OK)
			return rc;
		http_clear(r);
		return http_fail(r, SP_FLOW_DEAD_PASSWORD);
	}
	if (r->out && json_is_object(json_object_get(r->out, "error")))
		json_object_set_new(json_object_get(r->out, "error"), "tries_left", json_integer(PWRESET_TRIES - tries - 1));
	return RK_REFUSED;
}

/* POST /api/password-reset: the email. Unknown or known, the same answer
 * (the reset's forgot-password step, api/reset.c) after the same time (the
 * floor above); only a known one gets a code. Limits per email and per IP. */
int
h_pwreset_start(struct req *r)
{
	struct app *a = r->app;
	struct account_login l;
	struct pwreset f;
	char email[256], bound[48];
	int rc, ok_email, ok_ip, throttled = 0;
	long long deadline = now_ms() + PWRESET_START_FLOOR_MS;

	snprintf(email, sizeof email, "%s", json_string_value(json_object_get(r->in, "email")));
	account_email_normalize(email);
	if ((ok_email = rate_hit(a, "pwreset:email", email, strlen(email), a->cfg.signin_limit_account, a->cfg.signin_window_seconds)) < 0)
		return ok_email;
	if ((ok_ip = rate_hit(a, "pwreset:ip", r->ip, strlen(r->ip), a->cfg.signin_limit_ip, a->cfg.signin_window_seconds)) < 0)
		return ok_ip;
	if (!ok_email || !ok_ip)
		return http_fail(r, SP_TOO_MANY_ATTEMPTS);
	if ((rc = account_find(a, email, &l)) != RK_OK)
		return rc;
	memset(&f, 0, sizeof f);
	if ((rc = pwreset_start(r, email, l.found ? l.id : 0, &f.id)) != RK_OK)
		return rc;
	bound_to(&f, bound);
	if (l.found && (rc = codes_issue(a, l.id, "password_reset", bound, "email", email, &throttled)) != RK_OK)
		return rc;
	if (l.found && (rc = audit_append(a, l.id, "password_reset_started", "account", r->ip,
	    json_pack("{s:I}", "flow", (json_int_t)f.id))) != RK_OK)
		return rc;
	wait_until(deadline); /* the same time for every email (above) */
	http_json(r, 202, json_pack("{s:s,s:s,s:i}", "state", "code", "message",
	    "If an account uses this email, we sent it a code.", "expires_in", a->cfg.code_seconds));
	return RK_OK;
}

/* POST /api/password-reset/code: the code from the mail. A flow whose email
 * matched no account fails exactly like a wrong code. Then the account's
 * second factor; an account with none (or a frozen one) goes to the passkey
 * reset's document review, which does not need the password. */
int
h_pwreset_code(struct req *r)
{
	struct app *a = r->app;
	struct pwreset f;
	char bound[48];
	int rc, v = 0, left = 0, passkey = 0, totp = 0, frozen = 0;
	uint64_t aff = 0;
	json_t *methods;
	long long deadline = now_ms() + PWRESET_START_FLOOR_MS;

	if ((rc = pwreset_open(r, &f)) != RK_OK)
		return rc;
	if (strcmp(f.state, "code") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if (f.has_account) {
		bound_to(&f, bound);
		v = codes_verify(a, f.account, "password_reset", bound, json_string_value(json_object_get(r->in, "code")), &left);
		if (v < 0 && v != -10)
			return v;
	}
	if (v != 1) {
		http_fail(r, SP_CODE_WRONG_RESET);
		wait_until(deadline); /* a blind flow checks no code: the same time as a wrong one (the start's floor) */
		return step_failed(r, &f, STMT_PWRESET_CODE_TRY, f.code_tries);
	}
	if ((rc = password_factors(a, f.account, &passkey, &totp, &frozen)) != RK_OK)
		return rc;
	if (frozen || (!passkey && !totp)) {
		if ((rc = db_exec(a->db, STMT_PWRESET_MOVE, DBARGS(DB_S("documents"), DB_I(f.id), DB_S("code")), &aff, NULL)) != RK_OK)
			return rc;
		if ((rc = audit_append(a, f.account, "password_reset_to_documents", "account", r->ip,
		    json_pack("{s:I,s:b}", "flow", (json_int_t)f.id, "frozen", frozen))) != RK_OK)
			return rc;
		/* "why" names the message for pages, which say it in the reader's language (#20) */
		http_json(r, 200, json_pack("{s:s,s:s,s:s,s:s}", "state", "documents", "next", "/reset.html?from=signin", "why",
		    frozen ? "frozen" : "no_factor", "message",
		    frozen ? "This account is frozen: the passkey reset, with a review of your documents, gives access back."
			   : "This account has no passkey and no authenticator app to confirm it is you: the passkey reset, with a review of your documents, gives access back."));
		return RK_OK;
	}
	if ((rc = db_exec(a->db, STMT_PWRESET_MOVE, DBARGS(DB_S("factor"), DB_I(f.id), DB_S("code")), &aff, NULL)) != RK_OK)
		return rc;
	methods = json_array();
	if (passkey)
		json_array_append_new(methods, json_string("passkey"));
	if (totp)
		json_array_append_new(methods, json_string("totp"));
	http_json(r, 200, json_pack("{s:s,s:o}", "state", "factor", "methods", methods));
	return RK_OK;
}

/* POST /api/password-reset/factor/options: a passkey challenge for this browser, the account's passkeys. */
int
h_pwreset_factor_options(struct req *r)
{
	struct pwreset f;
	json_t *out;
	int rc;

	if ((rc = pwreset_open(r, &f)) != RK_OK)
		return rc;
	if (strcmp(f.state, "factor") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if ((rc = webauthn_request_options(r, &pk_accounts, f.account, &out)) == RK_OK)
		http_json(r, 200, out);
	return rc;
}

/* POST /api/password-reset/factor: a passkey of this account or its TOTP code, 5 tries. */
int
h_pwreset_factor(struct req *r)
{
	struct app *a = r->app;
	struct pwreset f;
	const char *method = json_string_value(json_object_get(r->in, "method"));
	int rc, ok = 0;
	uint64_t aff = 0;

	if ((rc = pwreset_open(r, &f)) != RK_OK)
		return rc;
	if (strcmp(f.state, "factor") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if (strcmp(method, "passkey") == 0) {
		uint64_t pk = 0, owner = 0;
		/* a refused assertion is a wrong answer: it counts a try */
		if ((rc = webauthn_assert(r, json_object_get(r->in, "response"), &pk, &owner, &ok)) != RK_OK && rc != RK_REFUSED)
			return rc;
		if (ok && owner != f.account) {
			ok = 0;
			http_fail(r, SP_WRONG_CREDENTIAL);
		}
	} else {
		if ((rc = tools_totp_check(a, f.account, json_string_value(json_object_get(r->in, "code")))) < 0)
			return rc;
		ok = rc == 1;
		if (!ok)
			http_fail(r, SP_CODE_WRONG_TOTP);
	}
	if (!ok) {
		if (r->status == 0)
			http_fail(r, SP_CODE_WRONG);
		return step_failed(r, &f, STMT_PWRESET_FACTOR_TRY, f.factor_tries);
	}
	if ((rc = db_exec(a->db, STMT_PWRESET_FACTOR_OK, DBARGS(DB_S(method), DB_I(f.id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	http_json(r, 200, json_pack("{s:s}", "state", "password"));
	return RK_OK;
}

/* POST /api/password-reset/password: the new password, then every session
 * ends (the flow signs no one in: the holder signs in with the new one). */
int
h_pwreset_password(struct req *r)
{
	struct app *a = r->app;
	struct pwreset f;
	const char *pw = json_string_value(json_object_get(r->in, "password"));
	char source[48];
	json_t *hold = NULL;
	uint64_t aff = 0, revoked = 0;
	enum problem p;
	int rc;

	if ((rc = pwreset_open(r, &f)) != RK_OK)
		return rc;
	if (strcmp(f.state, "password") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if ((p = password_policy(pw)) != PROB_OK)
		return http_fail_core(r, 400, p, "password");
	if ((rc = db_exec(a->db, STMT_PWRESET_FINISH, DBARGS(DB_I(f.id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	bound_to(&f, source);
	if ((rc = password_set(a, f.account, pw)) != RK_OK ||
	    (rc = password_changed(r, f.account, 0, "password_reset", source, f.factor, &hold, &revoked)) != RK_OK) {
		json_decref(hold);
		return rc;
	}
	pwreset_cookie_clear(r);
	http_json(r, 200, json_pack("{s:s,s:I,s:o,s:s}", "state", "done", "sessions_revoked", (json_int_t)revoked,
	    "withdrawal_hold", hold, "next", "/"));
	return RK_OK;
}
