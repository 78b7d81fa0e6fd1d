/* store/password.c -- passwords (issue #23): the policy, the hash, what a
 * change does, and the forgotten-password flow's row. */
#include <stdio.h>
#include <string.h>
#include "store.h"
#include "../../wasm/validate.h"

#define PWRESET_COOKIE "rk_pwreset"
#define PWRESET_DOMAIN "password-reset"
#define PWRESET_PATH "/api/password-reset"

enum problem
password_policy(const char *pw)
{
	struct problems ps = { 0, { 0 } };

	validate_password(pw, strlen(pw), &ps);
	return ps.n ? (enum problem)ps.code[0] : PROB_OK;
}

int
password_set(struct app *a, uint64_t account, const char *pw)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc;

	if (keys_password_hash(&a->cfg, pw, hash) != 0)
		return RK_FAIL; /* out of memory for argon2id */
	rc = db_exec(a->db, STMT_ACCOUNT_PASSWORD_SET, DBARGS(DB_S(hash), DB_I(account)), NULL, NULL);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int
password_changed(struct req *r, uint64_t account, uint64_t keep_session, const char *event, const char *source,
    const char *factor, json_t **hold, uint64_t *revoked)
{
	struct app *a = r->app;
	unsigned char th[32];
	char token[64], link[600], how[200], link_life[80], until[160];
	enum i18n_lang l;
	int rc;

	*hold = NULL;
	*revoked = 0;
	/* OWASP ASVS 5.0 7.4.3: a changed factor ends the other sessions (the
	 * forgotten-password flow ends every one: it has none of its own) */
	if ((rc = keep_session ? db_exec(a->db, STMT_SESSION_REVOKE_OTHERS, DBARGS(DB_I(account), DB_I(keep_session)), revoked, NULL)
	    : db_exec(a->db, STMT_SESSION_REVOKE_ALL, DBARGS(DB_I(account)), revoked, NULL)) != RK_OK)
		return rc;
	/* a password change is a security change: the withdrawal hold of a passkey change (seed: 24 h) */
	if ((rc = holds_add(a, account, "password_changed", source, a->cfg.hold_hours * 3600)) != RK_OK)
		return rc;
	if ((rc = audit_append(a, account, event, "account", r->ip, json_pack("{s:s,s:s,s:I}", "source", source, "factor", factor,
	    "sessions_revoked", (json_int_t)*revoked))) != RK_OK)
		return rc;
	/* the "this was not me" link of the deletion notice (api/delete.c, freeze.html) */
	keys_token_new(a->keys.link, "freeze", token, sizeof token, th);
	if ((rc = db_exec(a->db, STMT_FREEZE_INSERT, DBARGS(DB_I(account), DB_B(th, 32), DB_S(source), DB_I(a->cfg.freeze_link_hours)),
	    NULL, NULL)) != RK_OK)
		return rc;
	if ((rc = holds_json(a, account, hold)) != RK_OK)
		return rc;
	/* in the account's language (#20) */
	l = mail_lang(a, account);
	i18n_duration(l, 3600LL * a->cfg.freeze_link_hours, link_life, sizeof link_life);
	i18n_format(l, keep_session ? (strcmp(factor, "password") == 0 ? "mail.password.how.password" : "mail.password.how.password_factor")
	    : strcmp(factor, "passkey") == 0 ? "mail.password.how.email_passkey" : "mail.password.how.email_totp", how, sizeof how, NULL);
	snprintf(link, sizeof link, "%s/freeze.html?token=%s", a->cfg.origin, token);
	sodium_memzero(token, sizeof token);
	/* the body carries its own freeze link (above): the table's rows add none */
	rc = mail_notice(a, r, account, keep_session ? NOTICE_PASSWORD_CHANGED : NOTICE_PASSWORD_RESET, (const char *const[]){ "how", how,
	    "until", mail_time(l, json_string_value(json_object_get(*hold, "until")), until, sizeof until), "link", link, "life", link_life, NULL });
	sodium_memzero(link, sizeof link);
	return rc;
}

int
pwreset_start(struct req *r, const char *email, uint64_t account, uint64_t *id)
{
	unsigned char bh[32];
	char token[64];
	int rc;

	keys_token_new(r->app->keys.link, PWRESET_DOMAIN, token, sizeof token, bh);
	if ((rc = db_exec(r->app->db, STMT_PWRESET_INSERT, DBARGS(DB_B(bh, 32), DB_S(email), account ? DB_I(account) : DB_NULL,
	    DB_I(r->app->cfg.reset_flow_seconds)), NULL, id)) != RK_OK)
		return rc;
	http_set_cookie(r, PWRESET_COOKIE, token, PWRESET_PATH, r->app->cfg.reset_flow_seconds);
	return RK_OK;
}

void
pwreset_cookie_clear(struct req *r)
{
	http_set_cookie(r, PWRESET_COOKIE, "", PWRESET_PATH, 0);
}

int
pwreset_open(struct req *r, struct pwreset *f)
{
	char cookie[64];
	unsigned char bh[32];
	struct dbrows rows;
	int rc;

	memset(f, 0, sizeof *f);
	if (http_cookie(r->cookie, PWRESET_COOKIE, cookie, sizeof cookie) == NULL ||
	    keys_token_hash(r->app->keys.link, PWRESET_DOMAIN, cookie, bh) != 0)
		return http_fail(r, SP_NOT_FOUND_PASSWORD_RESET);
	if ((rc = db_query(r->app->db, STMT_PWRESET_GET, DBARGS(DB_B(bh, 32)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_PASSWORD_RESET);
	}
	f->id = (uint64_t)db_cell_ll(&rows, 0, 0);
	snprintf(f->email, sizeof f->email, "%s", db_cell(&rows, 0, 1, NULL));
	f->has_account = !db_cell_null(&rows, 0, 2);
	f->account = f->has_account ? (uint64_t)db_cell_ll(&rows, 0, 2) : 0;
	snprintf(f->state, sizeof f->state, "%s", db_cell(&rows, 0, 3, NULL));
	f->code_tries = (int)db_cell_ll(&rows, 0, 4);
	f->factor_tries = (int)db_cell_ll(&rows, 0, 5);
	f->expired = db_cell_ll(&rows, 0, 6) == 1;
	snprintf(f->factor, sizeof f->factor, "%s", db_cell(&rows, 0, 7, NULL));
	db_rows_free(&rows);
	if (strcmp(f->state, "dead") == 0)
		return http_fail(r, SP_FLOW_DEAD_PASSWORD);
	if (f->expired || strcmp(f->state, "done") == 0)
		return http_fail(r, SP_FLOW_EXPIRED_PASSWORD);
	return RK_OK;
}

int
password_factors(struct app *a, uint64_t account, int *passkey, int *totp, int *frozen)
{
	unsigned char secret[64];
	size_t len = 0;
	long long last;
	struct dbrows rows;
	int n = 0, confirmed = 0, found, rc;

	if ((rc = webauthn_count(a, account, &n)) != RK_OK)
		return rc;
	if ((found = tools_totp_secret(a, account, secret, &len, &confirmed, &last)) < 0)
		return found;
	sodium_memzero(secret, sizeof secret);
	if ((rc = db_query(a->db, STMT_ACCOUNT_GET, DBARGS(DB_I(account)), &rows)) != RK_OK)
		return rc;
	*frozen = rows.nrows != 1 || db_cell_ll(&rows, 0, 5) != 0;
	db_rows_free(&rows);
	*passkey = n > 0;
	*totp = found == 1 && confirmed;
	return RK_OK;
}
