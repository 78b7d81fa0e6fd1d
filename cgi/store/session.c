/* store/session.c -- account sessions: lookup, CSRF tokens, start and promotion (one place each), the known-device cookie. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "../../wasm/b64url.h"

#define COOKIE "rk_session"

void
session_csrf(const struct app *a, const unsigned char token_hash[32], char out[40])
{
	unsigned char mac[24];
	size_t n = 0;
	crypto_generichash(mac, sizeof mac, token_hash, 32, a->keys.csrf, 32);
	b64url_encode(mac, sizeof mac, out, 39, &n);
	out[n] = '\0';
}

static void
set_cookie(struct req *r, const char *token, int max_age)
{
	http_set_cookie(r, COOKIE, token, "/", max_age);
}

int
session_csrf_check(struct req *r, const unsigned char token_hash[32])
{
	char want[40];

	session_csrf(r->app, token_hash, want);
	if (r->csrf == NULL || strlen(r->csrf) != strlen(want) || !keys_equal(r->csrf, want, strlen(want)))
		return http_fail(r, SP_CSRF_TOKEN);
	return RK_OK;
}

void
session_cookie_clear(struct req *r)
{
	set_cookie(r, "", 0);
}

int
session_lookup(struct req *r, enum auth need)
{
	char token[64];
	unsigned char raw[48];
	size_t n;
	struct dbrows rows;
	int rc;

	if (http_cookie(r->cookie, COOKIE, token, sizeof token) == NULL ||
	    b64url_decode(token, strlen(token), raw, sizeof raw, &n) != PROB_OK || n != 32)
		return http_fail(r, SP_UNAUTHENTICATED);
	keys_hash(r->app->keys.session, raw, 32, NULL, 0, r->sess.token_hash);
	sodium_memzero(raw, sizeof raw);
	rc = db_query(r->app->db, STMT_SESSION_LOOKUP,
	    DBARGS(DB_B(r->sess.token_hash, 32), DB_I(r->app->cfg.session_idle_seconds)), &rows);
	if (rc != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_SESSION_ENDED);
	}
	r->sess.id = (uint64_t)db_cell_ll(&rows, 0, 0);
	r->sess.account_id = (uint64_t)db_cell_ll(&rows, 0, 1);
	r->sess.full = strcmp(db_cell(&rows, 0, 2, NULL), "full") == 0;
	r->has_session = 1;
	if (db_cell_ll(&rows, 0, 3) >= 60) /* idle clock: one write a minute at most */
		rc = db_exec(r->app->db, STMT_SESSION_TOUCH, DBARGS(DB_I(r->sess.id)), NULL, NULL);
	db_rows_free(&rows);
	if (rc != RK_OK)
		return rc;
	if (need == AUTH_FULL && !r->sess.full)
		return http_fail(r, SP_SECOND_FACTOR_REQUIRED);
	return RK_OK;
}

/* The session and the page's data in one statement (issue #21): s reads
 * the data with SQL_SESSION_LIVE in each of its `copies` branches (each
 * takes the token hash and the idle seconds) and ends its first row, when
 * the session is live, with the session's id, account, stage and idle
 * seconds from column col on. No such row: no session (401), as session_lookup answers;
 * the revocation, expiry and frozen-account checks are the statement's, so
 * they hold from the next request on. *rows is the caller's on RK_OK. */
int
session_read(struct req *r, enum stmt s, unsigned copies, unsigned col, enum auth need, struct dbrows *rows)
{
	char token[64];
	unsigned char raw[48];
	struct dbv args[DB_MAX_ARGS];
	size_t n;
	int rc;

	if (copies == 0 || 2 * copies > DB_MAX_ARGS ||
	    http_cookie(r->cookie, COOKIE, token, sizeof token) == NULL ||
	    b64url_decode(token, strlen(token), raw, sizeof raw, &n) != PROB_OK || n != 32)
		return http_fail(r, SP_UNAUTHENTICATED);
	keys_hash(r->app->keys.session, raw, 32, NULL, 0, r->sess.token_hash);
	sodium_memzero(raw, sizeof raw);
	for (unsigned i = 0; i < copies; i++) {
		args[2 * i] = DB_B(r->sess.token_hash, 32);
		args[2 * i + 1] = DB_I(r->app->cfg.session_idle_seconds);
	}
	if ((rc = db_query(r->app->db, s, args, 2 * copies, rows)) != RK_OK)
		return rc;
	if (rows->nrows == 0 || rows->ncols < col + 4 || db_cell_null(rows, 0, col)) {
		db_rows_free(rows);
		return http_fail(r, SP_SESSION_ENDED);
	}
	r->sess.id = (uint64_t)db_cell_ll(rows, 0, col);
	r->sess.account_id = (uint64_t)db_cell_ll(rows, 0, col + 1);
	r->sess.full = strcmp(db_cell(rows, 0, col + 2, NULL), "full") == 0;
	r->has_session = 1;
	if (db_cell_ll(rows, 0, col + 3) >= 60 && /* idle clock: one write a minute at most */
	    (rc = db_exec(r->app->db, STMT_SESSION_TOUCH, DBARGS(DB_I(r->sess.id)), NULL, NULL)) != RK_OK) {
		db_rows_free(rows);
		return rc;
	}
	if (!r->sess.full && need == AUTH_FULL) {
		db_rows_free(rows);
		return http_fail(r, SP_SECOND_FACTOR_REQUIRED);
	}
	return RK_OK;
}

/* The device cookie: account id, 16 random bytes and a keyed MAC over
 * both, base64url. It proves that this browser finished a sign-in to that
 * account before; it is no credential (the password is still checked). */
#define DEVICE_COOKIE "rk_device"
#define DEVICE_DOMAIN "known-device"
#define DEVICE_MAX_AGE (400 * 86400) /* RFC 6265bis: browsers cap at 400 days */

static void
device_mac(const struct app *a, const unsigned char body[24], unsigned char mac[16])
{
	unsigned char h[32];
	keys_hash(a->keys.session, DEVICE_DOMAIN, strlen(DEVICE_DOMAIN), body, 24, h);
	memcpy(mac, h, 16);
}

/* 1 when the request carries a device cookie made for this account (its
 * text in out, the key of its own rate-limit budget), else 0. */
int
session_device_known(struct req *r, uint64_t account, char *out, size_t outlen)
{
	unsigned char raw[48], mac[16];
	size_t n = 0;
	uint64_t id = 0;

	if (http_cookie(r->cookie, DEVICE_COOKIE, out, outlen) == NULL ||
	    b64url_decode(out, strlen(out), raw, sizeof raw, &n) != PROB_OK || n != 40)
		return 0;
	device_mac(r->app, raw, mac);
	if (!keys_equal(mac, raw + 24, 16))
		return 0;
	for (int i = 0; i < 8; i++)
		id = id << 8 | raw[i];
	return id == account;
}

static void
device_cookie_set(struct req *r, uint64_t account)
{
	unsigned char raw[40];
	char text[64], have[96];
	size_t n = 0;

	if (session_device_known(r, account, have, sizeof have))
		return;
	for (int i = 0; i < 8; i++)
		raw[i] = (unsigned char)(account >> (56 - 8 * i));
	randombytes_buf(raw + 8, 16);
	device_mac(r->app, raw, raw + 24);
	if (b64url_encode(raw, sizeof raw, text, sizeof text - 1, &n) != PROB_OK)
		return;
	text[n] = '\0';
	http_set_cookie(r, DEVICE_COOKIE, text, "/api/session", DEVICE_MAX_AGE);
}

/* A full sign-in: recorded, audited, and this browser remembered. */
static int
signed_in(struct req *r, const char *method)
{
	struct app *a = r->app;
	size_t ual = r->user_agent ? strnlen(r->user_agent, 200) : 0;
	struct dbrows rows;
	int rc, fresh;

	/* issue #17 item 5: a sign-in from a device this account never signed
	 * in from (its first sign-in ever is no news) is notified */
	if ((rc = db_query(a->db, STMT_SIGNIN_SEEN, DBARGS(DB_SN(r->user_agent ? r->user_agent : "", ual), DB_I(r->sess.account_id)),
	    &rows)) != RK_OK)
		return rc;
	fresh = db_cell_ll(&rows, 0, 0) > 0 && db_cell_ll(&rows, 0, 1) == 0;
	db_rows_free(&rows);
	if (fresh && (rc = mail_notice(a, r, r->sess.account_id, NOTICE_SIGNIN_NEW_DEVICE, NULL)) != RK_OK)
		return rc;
	rc = db_exec(a->db, STMT_SIGNIN_INSERT, DBARGS(DB_I(r->sess.account_id), DB_S(r->ip),
	    DB_SN(r->user_agent ? r->user_agent : "", ual)), NULL, NULL);
	if (rc == RK_OK)
		rc = audit_append(a, r->sess.account_id, "signed_in", "account", r->ip, json_pack("{s:s}", "method", method));
	if (rc == RK_OK)
		device_cookie_set(r, r->sess.account_id);
	return rc;
}

/* A new session with a fresh token (never reused across sign-ins); a full
 * one records the sign-in and audits it. A sign-in with a passkey is a use
 * of a second factor, and a completed passkey reset was a stronger check
 * still (its rebinding must not need the factors it replaced): either
 * session starts stepped up. */
int
session_start(struct req *r, uint64_t account, int full, const char *method)
{
	struct app *a = r->app;
	char token[64];
	unsigned char raw[32];
	uint64_t id = 0;
	size_t ual = r->user_agent ? strnlen(r->user_agent, 200) : 0;
	int rc;

	keys_random_token(token, sizeof token, raw);
	keys_hash(a->keys.session, raw, 32, NULL, 0, r->sess.token_hash);
	sodium_memzero(raw, sizeof raw);
	rc = db_exec(a->db, STMT_SESSION_INSERT, DBARGS(DB_B(r->sess.token_hash, 32), DB_I(account),
	    DB_S(full ? "full" : "partial"), DB_I(a->cfg.session_absolute_seconds), DB_S(r->ip),
	    DB_SN(r->user_agent ? r->user_agent : "", ual), DB_I(full && (strcmp(method, "passkey") == 0 || strcmp(method, "passkey_reset") == 0))), NULL, &id);
	if (rc != RK_OK)
		return rc;
	r->sess.id = id;
	r->sess.account_id = account;
	r->sess.full = full;
	r->has_session = 1;
	set_cookie(r, token, a->cfg.session_absolute_seconds);
	return full ? signed_in(r, method) : RK_OK;
}

/* Partial -> full after the second factor (which also steps the session up). The token that saw only the
 * password is replaced in the same UPDATE that promotes the session, so it
 * stops working at once, and the CSRF token (derived from it) changes with
 * it: no session fixation at a change of privilege (issue #14 finding 2;
 * OWASP ASVS 5.0 7.2.4). *promoted is 0 when the session was not partial. */
int
session_promote(struct req *r, const char *method, int *promoted)
{
	struct app *a = r->app;
	char token[64];
	unsigned char raw[32], th[32];
	uint64_t aff = 0;
	int rc;

	*promoted = 0;
	keys_random_token(token, sizeof token, raw);
	keys_hash(a->keys.session, raw, 32, NULL, 0, th);
	sodium_memzero(raw, sizeof raw);
	if ((rc = db_exec(a->db, STMT_SESSION_PROMOTE, DBARGS(DB_B(th, 32), DB_I(r->sess.id)), &aff, NULL)) != RK_OK || aff != 1)
		return rc;
	*promoted = 1;
	memcpy(r->sess.token_hash, th, 32);
	r->sess.full = 1;
	set_cookie(r, token, a->cfg.session_absolute_seconds);
	return signed_in(r, method);
}

/* Step-up (issue #17 item 6; OWASP ASVS 5.0 7.5.1): a second factor used in
 * this session within step_up_seconds. *fresh 1 when so; until (may be NULL)
 * the moment it lapses, '' when the session never used one. */
int
session_stepped_up(struct req *r, int *fresh, char until[32])
{
	struct dbrows rows;
	int s = r->app->cfg.step_up_seconds;
	int rc = db_query(r->app->db, STMT_SESSION_STEPPED_UP, DBARGS(DB_I(s), DB_I(s), DB_I(r->sess.id)), &rows);

	if (rc != RK_OK)
		return rc;
	*fresh = rows.nrows == 1 && db_cell_ll(&rows, 0, 0) == 1;
	if (until)
		snprintf(until, 32, "%s", rows.nrows == 1 ? db_cell(&rows, 0, 1, NULL) : "");
	db_rows_free(&rows);
	return RK_OK;
}

/* The account has a factor to step up with: a passkey or a confirmed TOTP. */
static int
has_factor(struct req *r, int *any)
{
	unsigned char secret[64];
	size_t len = 0;
	long long last;
	int n = 0, confirmed = 0, found, rc = webauthn_count(r->app, r->sess.account_id, &n);

	if (rc != RK_OK)
		return rc;
	if ((found = tools_totp_secret(r->app, r->sess.account_id, secret, &len, &confirmed, &last)) < 0)
		return found;
	sodium_memzero(secret, sizeof secret);
	*any = n > 0 || (found == 1 && confirmed);
	return RK_OK;
}

/* RK_OK when the session is stepped up, else the 403 step_up_required that
 * the pages answer by asking for the factor in place (web/js/stepup.mjs).
 * An account with no passkey and no TOTP cannot step up: 409
 * step_up_no_factor, or RK_OK when first_factor_ok (binding the first
 * factor: there is nothing to confirm with yet, and the session's password
 * sign-in was all the account had). */
int
session_require_step_up(struct req *r, int first_factor_ok)
{
	int fresh = 0, any = 0, rc = session_stepped_up(r, &fresh, NULL);

	if (rc != RK_OK || fresh)
		return rc;
	if ((rc = has_factor(r, &any)) != RK_OK)
		return rc;
	if (!any)
		return first_factor_ok ? RK_OK : http_fail(r, SP_STEP_UP_NO_FACTOR);
	return http_fail(r, SP_STEP_UP_REQUIRED);
}

/* A second factor was just used: the session is stepped up from now, and
 * audited as such (method NULL: a factor was just bound, which its own
 * event audits). */
int
session_step_up_mark(struct req *r, const char *method)
{
	int rc = db_exec(r->app->db, STMT_SESSION_STEP_UP, DBARGS(DB_I(r->sess.id)), NULL, NULL);

	if (rc != RK_OK || method == NULL)
		return rc;
	return audit_append(r->app, r->sess.account_id, "stepped_up", "account", r->ip, json_pack("{s:s}", "method", method));
}
