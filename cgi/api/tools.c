/* api/tools.c -- binding an authenticator app (TOTP) and a phone. */
#include <liboath/oath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api.h"

static void
pct(char *out, size_t outlen, const char *s)
{
	size_t o = 0;
	for (; *s && o + 4 < outlen; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '@')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outlen - o, "%%%02X", c);
	}
	out[o] = '\0';
}

/* A tool was bound: audited, every channel told, answered. */
static int
tool_bound(struct req *r, const char *event, enum notice n)
{
	int rc;

	if ((rc = audit_append(r->app, r->sess.account_id, event, "account", r->ip, json_object())) != RK_OK ||
	    (rc = mail_notice(r->app, r, r->sess.account_id, n, NULL)) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:b}", "bound", 1));
	return RK_OK;
}

int
h_totp_setup(struct req *r)
{
	struct app *a = r->app;
	unsigned char secret[TOTP_SECRET_BYTES], box[128], old[64];
	const unsigned char *key;
	int key_id = 0;
	char *b32 = NULL, email[256], uri[2048], issuer[300], label[800], *svg;
	size_t b32len = 0, boxlen, oldlen;
	int rc, confirmed = 0;
	long long last;

	/* issue #17 item 6: the tools change only with a recent second factor */
	if ((rc = session_require_step_up(r, 1)) != RK_OK)
		return rc;
	if ((rc = tools_totp_secret(a, r->sess.account_id, old, &oldlen, &confirmed, &last)) < 0)
		return rc;
	sodium_memzero(old, sizeof old);
	if (rc == 1 && confirmed)
		return http_fail(r, SP_TOTP_ALREADY_BOUND);
	if ((rc = account_email(a, r->sess.account_id, email, sizeof email)) != RK_OK)
		return rc;
	randombytes_buf(secret, sizeof secret);
	if (oath_base32_encode((const char *)secret, sizeof secret, &b32, &b32len) != OATH_OK ||
	    (key = keys_vault_current(&a->keys, KEYS_USE_TOTP, &key_id)) == NULL ||
	    keys_seal(key, secret, sizeof secret, box, sizeof box, &boxlen) != 0) {
		free(b32);
		return RK_FAIL;
	}
	sodium_memzero(secret, sizeof secret);
	if ((rc = db_exec(a->db, STMT_TOTP_PENDING, DBARGS(DB_I(r->sess.account_id), DB_B(box, boxlen), DB_I(key_id)), NULL, NULL)) != RK_OK) {
		free(b32);
		return rc;
	}
	/* Key Uri Format: otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=... */
	pct(issuer, sizeof issuer, a->cfg.operator_name);
	pct(label, sizeof label, email);
	snprintf(uri, sizeof uri, "otpauth://totp/%s:%s?secret=%.*s&issuer=%s&algorithm=SHA1&digits=6&period=30",
	    issuer, label, (int)b32len, b32, issuer);
	svg = qr_svg(uri, "QR code for the authenticator app");
	http_json(r, 200, json_pack("{s:s%,s:s,s:s}", "secret", b32, b32len, "uri", uri, "qr_svg", svg ? svg : ""));
	free(svg);
	sodium_memzero(b32, b32len);
	free(b32);
	return RK_OK;
}

int
h_totp_confirm(struct req *r)
{
	struct app *a = r->app;
	unsigned char secret[64];
	size_t len = 0;
	int rc, confirmed = 0, allowed;
	long long last = 0, step;
	uint64_t aff = 0;

	if ((allowed = rate_hit(a, "totp:confirm", &r->sess.account_id, sizeof r->sess.account_id, 10, 900)) < 0)
		return allowed;
	if (!allowed)
		return http_fail(r, SP_TOO_MANY_CODES);
	if ((rc = tools_totp_secret(a, r->sess.account_id, secret, &len, &confirmed, &last)) < 0)
		return rc;
	if (rc == 0)
		return http_fail(r, SP_TOTP_NOT_STARTED);
	if (confirmed)
		return http_fail(r, SP_TOTP_ALREADY_BOUND);
	step = tools_totp_match(secret, len, json_string_value(json_object_get(r->in, "code")));
	sodium_memzero(secret, sizeof secret);
	if (step < 0)
		return http_fail(r, SP_CODE_WRONG_TOTP);
	if ((rc = db_exec(a->db, STMT_TOTP_CONFIRM, DBARGS(DB_I(step), DB_I(r->sess.account_id), DB_I(step)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail(r, SP_TOTP_ALREADY_BOUND);
	/* binding was allowed (stepped up, or the first factor): the app now confirms this session */
	if ((rc = session_step_up_mark(r, NULL)) != RK_OK)
		return rc;
	return tool_bound(r, "totp_bound", NOTICE_TOTP_BOUND);
}

int
h_phone_setup(struct req *r)
{
	struct app *a = r->app;
	const char *phone = json_string_value(json_object_get(r->in, "phone"));
	struct dbrows rows;
	char bound[64];
	int rc, throttled;

	if ((rc = session_require_step_up(r, 1)) != RK_OK)
		return rc;
	if ((rc = db_query(a->db, STMT_PHONE_GET, DBARGS(DB_I(r->sess.account_id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 1 && db_cell_ll(&rows, 0, 1) == 1) {
		db_rows_free(&rows);
		return http_fail(r, SP_PHONE_ALREADY_BOUND);
	}
	db_rows_free(&rows);
	if ((rc = db_exec(a->db, STMT_PHONE_PENDING, DBARGS(DB_I(r->sess.account_id), DB_S(phone)), NULL, NULL)) != RK_OK)
		return rc;
	snprintf(bound, sizeof bound, "phone:%s", phone);
	if ((rc = codes_issue(a, r->sess.account_id, "bind_phone", bound, "sms", phone, &throttled)) != RK_OK)
		return rc;
	if (throttled)
		return http_fail(r, SP_RESEND_TOO_SOON);
	http_json(r, 202, json_pack("{s:b,s:i}", "sent", 1, "expires_in", 600));
	return RK_OK;
}

int
h_phone_confirm(struct req *r)
{
	struct app *a = r->app;
	struct dbrows rows;
	char bound[64];
	int rc, left;
	uint64_t aff = 0;

	if ((rc = db_query(a->db, STMT_PHONE_GET, DBARGS(DB_I(r->sess.account_id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0 || db_cell_ll(&rows, 0, 1) == 1) {
		int bound_already = rows.nrows == 1;
		db_rows_free(&rows);
		return bound_already ? http_fail(r, SP_PHONE_ALREADY_BOUND)
		    : http_fail(r, SP_PHONE_NOT_STARTED);
	}
	snprintf(bound, sizeof bound, "phone:%s", db_cell(&rows, 0, 0, NULL));
	db_rows_free(&rows);
	rc = codes_verify(a, r->sess.account_id, "bind_phone", bound, json_string_value(json_object_get(r->in, "code")), &left);
	if (rc < 0 && rc != -10)
		return rc;
	if (rc != 1)
		return codes_refuse(r, rc, left);
	if ((rc = db_exec(a->db, STMT_PHONE_CONFIRM, DBARGS(DB_I(r->sess.account_id)), &aff, NULL)) != RK_OK)
		return rc;
	return tool_bound(r, "phone_bound", NOTICE_PHONE_BOUND);
}
