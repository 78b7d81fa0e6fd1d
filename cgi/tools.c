/* tools.c -- second factors: TOTP (liboath, RFC 6238) and phone (SMS code). */
#include <liboath/oath.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "extern.h"

#define TOTP_SECRET_BYTES 20 /* RFC 4226 §4 R6: 160 bits recommended */

static int
totp_secret(struct app *a, uint64_t account, unsigned char *secret, size_t *len, int *confirmed, long long *last)
{
	struct dbrows rows;
	size_t bl;
	const char *box;
	int rc = db_query(a->db, STMT_TOTP_GET, DBARGS(DB_I(account)), &rows);

	if (rc != DB_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return 0;
	}
	box = db_cell(&rows, 0, 0, &bl);
	*confirmed = db_cell_ll(&rows, 0, 1) == 1;
	*last = db_cell_ll(&rows, 0, 2);
	rc = keys_open(a->keys.seal, (const unsigned char *)box, bl, secret, 64, len);
	db_rows_free(&rows);
	return rc == 0 ? 1 : DB_FAIL;
}

/* Checks code within ±1 step; returns the matched absolute step or -1. */
static long long
totp_match(const unsigned char *secret, size_t len, const char *code)
{
	uint64_t counter = 0;
	int pos = 0;
	int rc = oath_totp_validate3((const char *)secret, len, time(NULL), OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
	    OATH_TOTP_DEFAULT_START_TIME, 1, &pos, &counter, code);
	return rc >= 0 ? (long long)counter : -1;
}

int
tools_totp_check(struct app *a, uint64_t account, const char *code)
{
	unsigned char secret[64];
	size_t len = 0;
	int confirmed = 0, rc;
	long long last = 0, step;
	uint64_t aff = 0;

	if ((rc = totp_secret(a, account, secret, &len, &confirmed, &last)) < 0)
		return rc;
	if (rc == 0 || !confirmed)
		return 0;
	step = totp_match(secret, len, code);
	sodium_memzero(secret, sizeof secret);
	if (step < 0)
		return 0;
	/* RFC 6238 §5.2: a code is accepted once; the step only moves forward */
	if ((rc = db_exec(a->db, STMT_TOTP_USE_STEP, DBARGS(DB_I(step), DB_I(account), DB_I(step)), &aff, NULL)) != DB_OK)
		return rc;
	return aff == 1 ? 1 : 0;
}

static void
mask_phone(const char *n, char *out, size_t outlen)
{
	size_t l = strlen(n);
	if (l < 6) {
		snprintf(out, outlen, "•••");
		return;
	}
	snprintf(out, outlen, "%.3s•••••%s", n, n + l - 2);
}

/* The tools from the three SQL_TOOLS_COLS cells starting at column COL. */
void
tools_from_row(const struct dbrows *rows, unsigned row, unsigned col, json_t *out)
{
	char masked[40];

	json_object_set_new(out, "totp", json_boolean(db_cell_ll(rows, row, col) == 1));
	json_object_set_new(out, "passkeys", json_integer(db_cell_ll(rows, row, col + 1)));
	if (!db_cell_null(rows, row, col + 2)) {
		mask_phone(db_cell(rows, row, col + 2, NULL), masked, sizeof masked);
		json_object_set_new(out, "phone", json_string(masked));
	} else {
		json_object_set_new(out, "phone", json_null());
	}
}

int
tools_summary(struct app *a, uint64_t account, json_t *out)
{
	struct dbrows rows;
	int rc = db_query(a->db, STMT_TOOLS_SUMMARY, DBARGS(DB_I(account)), &rows);

	if (rc != DB_OK)
		return rc;
	if (rows.nrows != 1) {
		db_rows_free(&rows);
		return DB_FAIL;
	}
	tools_from_row(&rows, 0, 0, out);
	db_rows_free(&rows);
	return DB_OK;
}

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

/* The QR code as an SVG path: one "M x y h1v1h-1z" per dark module. */
char *
tools_qr_svg(const char *text, const char *label)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	char *svg, *p;
	size_t cap;
	int w;

	if (q == NULL)
		return NULL;
	w = q->width;
	cap = (size_t)w * (size_t)w * 24 + 512;
	if ((svg = malloc(cap)) == NULL) {
		QRcode_free(q);
		return NULL;
	}
	p = svg + snprintf(svg, cap, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-4 -4 %d %d\" "
	    "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"%s\">"
	    "<rect x=\"-4\" y=\"-4\" width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", w + 8, w + 8, label, w + 8, w + 8);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (q->data[y * w + x] & 1)
				p += snprintf(p, cap - (size_t)(p - svg), "M%d %dh1v1h-1z", x, y);
	snprintf(p, cap - (size_t)(p - svg), "\"/></svg>");
	QRcode_free(q);
	return svg;
}

int
h_totp_setup(struct req *r)
{
	struct app *a = r->app;
	unsigned char secret[TOTP_SECRET_BYTES], box[128], old[64];
	char *b32 = NULL, email[256], uri[2048], issuer[300], label[800], *svg;
	size_t b32len = 0, boxlen, oldlen;
	int rc, confirmed = 0;
	long long last;

	if ((rc = totp_secret(a, r->sess.account_id, old, &oldlen, &confirmed, &last)) < 0)
		return rc;
	sodium_memzero(old, sizeof old);
	if (rc == 1 && confirmed)
		return http_error(r, 409, "totp_already_bound", "An authenticator app is already bound to this account.");
	if ((rc = account_email(a, r->sess.account_id, email, sizeof email)) != DB_OK)
		return rc;
	randombytes_buf(secret, sizeof secret);
	if (oath_base32_encode((const char *)secret, sizeof secret, &b32, &b32len) != OATH_OK ||
	    keys_seal(a->keys.seal, secret, sizeof secret, box, sizeof box, &boxlen) != 0) {
		free(b32);
		return DB_FAIL;
	}
	sodium_memzero(secret, sizeof secret);
	if ((rc = db_exec(a->db, STMT_TOTP_PENDING, DBARGS(DB_I(r->sess.account_id), DB_B(box, boxlen)), NULL, NULL)) != DB_OK) {
		free(b32);
		return rc;
	}
	/* Key Uri Format: otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=... */
	pct(issuer, sizeof issuer, a->cfg.operator_name);
	pct(label, sizeof label, email);
	snprintf(uri, sizeof uri, "otpauth://totp/%s:%s?secret=%.*s&issuer=%s&algorithm=SHA1&digits=6&period=30",
	    issuer, label, (int)b32len, b32, issuer);
	svg = tools_qr_svg(uri, "QR code for the authenticator app");
	http_json(r, 200, json_pack("{s:s%,s:s,s:s}", "secret", b32, b32len, "uri", uri, "qr_svg", svg ? svg : ""));
	free(svg);
	sodium_memzero(b32, b32len);
	free(b32);
	return DB_OK;
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
		return http_error(r, 429, "too_many_attempts", "Too many wrong codes. Wait 15 minutes and try again.");
	if ((rc = totp_secret(a, r->sess.account_id, secret, &len, &confirmed, &last)) < 0)
		return rc;
	if (rc == 0)
		return http_error(r, 409, "totp_not_started", "Start binding the authenticator app first.");
	if (confirmed)
		return http_error(r, 409, "totp_already_bound", "An authenticator app is already bound to this account.");
	step = totp_match(secret, len, json_string_value(json_object_get(r->in, "code")));
	sodium_memzero(secret, sizeof secret);
	if (step < 0)
		return http_error(r, 400, "code_wrong", "The code is wrong. Check the time on your phone and try again.");
	if ((rc = db_exec(a->db, STMT_TOTP_CONFIRM, DBARGS(DB_I(step), DB_I(r->sess.account_id), DB_I(step)), &aff, NULL)) != DB_OK)
		return rc;
	if (aff != 1)
		return http_error(r, 409, "totp_already_bound", "An authenticator app is already bound to this account.");
	if ((rc = audit_append(a, r->sess.account_id, "totp_bound", "account", r->ip, json_object())) != DB_OK ||
	    (rc = mail_notify(a, r->sess.account_id, "Authenticator app bound",
	    "An authenticator app was bound to your account as a security tool.\n"
	    "If this was not you, reset your security tools now and contact support.\n")) != DB_OK)
		return rc;
	http_json(r, 200, json_pack("{s:b}", "bound", 1));
	return DB_OK;
}

int
h_phone_setup(struct req *r)
{
	struct app *a = r->app;
	const char *phone = json_string_value(json_object_get(r->in, "phone"));
	struct dbrows rows;
	char bound[64];
	int rc, throttled;

	if ((rc = db_query(a->db, STMT_PHONE_GET, DBARGS(DB_I(r->sess.account_id)), &rows)) != DB_OK)
		return rc;
	if (rows.nrows == 1 && db_cell_ll(&rows, 0, 1) == 1) {
		db_rows_free(&rows);
		return http_error(r, 409, "phone_already_bound", "A phone is already bound to this account.");
	}
	db_rows_free(&rows);
	if ((rc = db_exec(a->db, STMT_PHONE_PENDING, DBARGS(DB_I(r->sess.account_id), DB_S(phone)), NULL, NULL)) != DB_OK)
		return rc;
	snprintf(bound, sizeof bound, "phone:%s", phone);
	if ((rc = codes_issue(a, r->sess.account_id, "bind_phone", bound, "sms", phone, &throttled)) != DB_OK)
		return rc;
	if (throttled)
		return http_error(r, 429, "resend_too_soon", "A code was sent less than a minute ago. Wait a moment before asking again.");
	http_json(r, 202, json_pack("{s:b,s:i}", "sent", 1, "expires_in", 600));
	return DB_OK;
}

int
h_phone_confirm(struct req *r)
{
	struct app *a = r->app;
	struct dbrows rows;
	char bound[64];
	int rc, left;
	uint64_t aff = 0;

	if ((rc = db_query(a->db, STMT_PHONE_GET, DBARGS(DB_I(r->sess.account_id)), &rows)) != DB_OK)
		return rc;
	if (rows.nrows == 0 || db_cell_ll(&rows, 0, 1) == 1) {
		int bound_already = rows.nrows == 1;
		db_rows_free(&rows);
		return bound_already ? http_error(r, 409, "phone_already_bound", "A phone is already bound to this account.")
		    : http_error(r, 409, "phone_not_started", "Enter your phone number first.");
	}
	snprintf(bound, sizeof bound, "phone:%s", db_cell(&rows, 0, 0, NULL));
	db_rows_free(&rows);
	rc = codes_verify(a, r->sess.account_id, "bind_phone", bound, json_string_value(json_object_get(r->in, "code")), &left);
	if (rc < 0 && rc != -10)
		return rc;
	if (rc != 1)
		return codes_refuse(r, rc, left);
	if ((rc = db_exec(a->db, STMT_PHONE_CONFIRM, DBARGS(DB_I(r->sess.account_id)), &aff, NULL)) != DB_OK)
		return rc;
	if ((rc = audit_append(a, r->sess.account_id, "phone_bound", "account", r->ip, json_object())) != DB_OK ||
	    (rc = mail_notify(a, r->sess.account_id, "Phone number bound",
	    "A phone number was bound to your account as a security tool.\n"
	    "If this was not you, reset your security tools now and contact support.\n")) != DB_OK)
		return rc;
	http_json(r, 200, json_pack("{s:b}", "bound", 1));
	return DB_OK;
}
