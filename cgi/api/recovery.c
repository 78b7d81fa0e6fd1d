/* api/recovery.c -- recovery prepared before loss (issue #17): saved
 * recovery codes, second notification addresses, the anti-phishing code.
 * Every change needs a fresh second factor (step-up; an account with none
 * is told to add a passkey first), is audited and is notified everywhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

#define CONTACTS_MAX 3 /* second notification addresses per account */
#define CONTACT_PURPOSE "contact"

int
h_recovery_codes_get(struct req *r)
{
	char created[32];
	int remaining, rc = recovery_status(r->app, r->sess.account_id, &remaining, created);

	if (rc != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:i,s:s?,s:i}", "remaining", remaining, "created_at", created[0] ? created : NULL,
	    "total", RECOVERY_CODES));
	return RK_OK;
}

/* A new set, answered once: the codes are never stored, never shown again. */
int
h_recovery_codes_make(struct req *r)
{
	struct app *a = r->app;
	char codes[RECOVERY_CODES][RECOVERY_CODE_TEXT], created[32], count[16];
	json_t *list;
	int rc;

	/* ASVS 5.0 7.5.1: recovery information changes after a fresh authentication */
	if ((rc = session_require_step_up(r, 0)) != RK_OK ||
	    (rc = recovery_make(a, r->sess.account_id, codes, created)) != RK_OK ||
	    (rc = audit_append(a, r->sess.account_id, "recovery_codes_made", "account", r->ip, json_object())) != RK_OK)
		return rc;
	snprintf(count, sizeof count, "%d", RECOVERY_CODES);
	if ((rc = mail_notice(a, r, r->sess.account_id, NOTICE_RECOVERY_CODES_MADE, (const char *const[]){ "n", count, NULL })) != RK_OK)
		return rc;
	list = json_array();
	for (int i = 0; i < RECOVERY_CODES; i++)
		json_array_append_new(list, json_string(codes[i]));
	sodium_memzero(codes, sizeof codes);
	http_json(r, 201, json_pack("{s:o,s:s}", "codes", list, "created_at", created));
	return RK_OK;
}

int
h_contacts_list(struct req *r)
{
	struct dbrows rows;
	json_t *list = json_array();
	int rc = db_query(r->app->db, STMT_CONTACT_LIST, DBARGS(DB_I(r->sess.account_id)), &rows);

	if (rc != RK_OK) {
		json_decref(list);
		return rc;
	}
	for (unsigned i = 0; i < rows.nrows; i++)
		json_array_append_new(list, json_pack("{s:I,s:s,s:b,s:s}", "id", (json_int_t)db_cell_ll(&rows, i, 0),
		    "email", db_cell(&rows, i, 1, NULL), "confirmed", db_cell_ll(&rows, i, 2) == 1, "created_at", db_cell(&rows, i, 3, NULL)));
	db_rows_free(&rows);
	http_json(r, 200, json_pack("{s:o,s:i}", "contacts", list, "max", CONTACTS_MAX));
	return RK_OK;
}

static int
contact_send_code(struct req *r, uint64_t id, const char *email, int *throttled)
{
	char bound[48];
	snprintf(bound, sizeof bound, "contact:%llu", (unsigned long long)id);
	return codes_issue(r->app, r->sess.account_id, CONTACT_PURPOSE, bound, "email", email, throttled);
}

/* A second address: a code is sent to it; it gets notices once confirmed. */
int
h_contact_add(struct req *r)
{
	struct app *a = r->app;
	char email[256], primary[256];
	struct dbrows rows;
	uint64_t id = 0;
	int rc, throttled = 0;

	if ((rc = session_require_step_up(r, 0)) != RK_OK)
		return rc;
	snprintf(email, sizeof email, "%s", json_string_value(json_object_get(r->in, "email")));
	account_email_normalize(email);
	if ((rc = account_email(a, r->sess.account_id, primary, sizeof primary)) != RK_OK)
		return rc;
	if (strcmp(email, primary) == 0)
		return http_fail(r, SP_CONTACT_IS_PRIMARY);
	if ((rc = db_query(a->db, STMT_CONTACT_BY_EMAIL, DBARGS(DB_I(r->sess.account_id), DB_S(email)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 1) {
		int confirmed = db_cell_ll(&rows, 0, 1) == 1;
		id = (uint64_t)db_cell_ll(&rows, 0, 0);
		db_rows_free(&rows);
		if (confirmed)
			return http_fail(r, SP_CONTACT_EXISTS);
	} else {
		db_rows_free(&rows);
		if ((rc = db_query(a->db, STMT_CONTACT_COUNT, DBARGS(DB_I(r->sess.account_id)), &rows)) != RK_OK)
			return rc;
		rc = db_cell_ll(&rows, 0, 0) >= CONTACTS_MAX;
		db_rows_free(&rows);
		if (rc)
			return http_fail(r, SP_CONTACTS_FULL);
		rc = db_exec(a->db, STMT_CONTACT_INSERT, DBARGS(DB_I(r->sess.account_id), DB_S(email)), NULL, &id);
		if (rc == RK_DUP)
			return http_fail(r, SP_CONTACT_EXISTS); /* a racing add of the same address */
		if (rc != RK_OK)
			return rc;
	}
	if ((rc = contact_send_code(r, id, email, &throttled)) != RK_OK)
		return rc;
	if (throttled)
		return http_fail(r, SP_RESEND_TOO_SOON);
	if ((rc = audit_append(a, r->sess.account_id, "contact_pending", "account", r->ip, json_pack("{s:I}", "contact", (json_int_t)id))) != RK_OK)
		return rc;
	http_json(r, 202, json_pack("{s:I,s:s,s:b,s:i}", "id", (json_int_t)id, "email", email, "confirmed", 0,
	    "expires_in", a->cfg.code_seconds));
	return RK_OK;
}

/* One of this account's addresses, locked; 404 for another account's. */
static int
contact_get(struct req *r, uint64_t *id, char *email, size_t emaillen, int *confirmed)
{
	struct dbrows rows;
	int rc;

	*id = strtoull(r->param, NULL, 10);
	if ((rc = db_query(r->app->db, STMT_CONTACT_GET, DBARGS(DB_I(*id), DB_I(r->sess.account_id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_CONTACT);
	}
	snprintf(email, emaillen, "%s", db_cell(&rows, 0, 1, NULL));
	*confirmed = db_cell_ll(&rows, 0, 2) == 1;
	db_rows_free(&rows);
	return RK_OK;
}

int
h_contact_confirm(struct req *r)
{
	struct app *a = r->app;
	char email[256], bound[48];
	uint64_t id, aff = 0;
	int rc, confirmed, v, left;

	if ((rc = contact_get(r, &id, email, sizeof email, &confirmed)) != RK_OK)
		return rc;
	if (confirmed)
		return http_fail(r, SP_CONTACT_CONFIRMED);
	snprintf(bound, sizeof bound, "contact:%llu", (unsigned long long)id);
	if ((v = codes_verify(a, r->sess.account_id, CONTACT_PURPOSE, bound, json_string_value(json_object_get(r->in, "code")), &left)) < 0 &&
	    v != -10)
		return v;
	if (v != 1)
		return codes_refuse(r, v, left);
	if ((rc = db_exec(a->db, STMT_CONTACT_CONFIRM, DBARGS(DB_I(id), DB_I(r->sess.account_id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail(r, SP_CONTACT_CONFIRMED);
	if ((rc = audit_append(a, r->sess.account_id, "contact_added", "account", r->ip, json_pack("{s:I}", "contact", (json_int_t)id))) != RK_OK ||
	    (rc = mail_notice(a, r, r->sess.account_id, NOTICE_CONTACT_ADDED, (const char *const[]){ "email", email, NULL })) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)id, "email", email, "confirmed", 1));
	return RK_OK;
}

/* Removed after a step-up; the notice goes to every address, the removed one too. */
int
h_contact_remove(struct req *r)
{
	struct app *a = r->app;
	char email[256];
	uint64_t id, aff = 0;
	int rc, confirmed;

	if ((rc = contact_get(r, &id, email, sizeof email, &confirmed)) != RK_OK ||
	    (rc = session_require_step_up(r, 0)) != RK_OK)
		return rc;
	/* told first, while the address is still on record: it hears of its own removal */
	if ((rc = mail_notice(a, r, r->sess.account_id, NOTICE_CONTACT_REMOVED, (const char *const[]){ "email", email, NULL })) != RK_OK ||
	    (rc = db_exec(a->db, STMT_CONTACT_DELETE, DBARGS(DB_I(id), DB_I(r->sess.account_id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail(r, SP_NOT_FOUND_CONTACT);
	if ((rc = audit_append(a, r->sess.account_id, "contact_removed", "account", r->ip,
	    json_pack("{s:I,s:b}", "contact", (json_int_t)id, "confirmed", confirmed))) != RK_OK)
		return rc;
	r->status = 204;
	return RK_OK;
}

int
h_anti_phishing_get(struct req *r)
{
	struct dbrows rows;
	int rc = db_query(r->app->db, STMT_ANTI_PHISHING_GET, DBARGS(DB_I(r->sess.account_id)), &rows);

	if (rc != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s?}", "code", rows.nrows && db_cell(&rows, 0, 0, NULL)[0] ? db_cell(&rows, 0, 0, NULL) : NULL));
	db_rows_free(&rows);
	return RK_OK;
}

/* 4-20 printable ASCII characters, not only spaces: it is read in a mail
 * next to the operator's own words, so nothing that could pass for markup
 * or a line break */
static int
anti_phishing_ok(const char *s)
{
	size_t n = strlen(s), spaces = 0;

	if (n < 4 || n > 20)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '<' || s[i] == '>')
			return 0;
		spaces += s[i] == ' ';
	}
	return spaces < n;
}

int
h_anti_phishing_set(struct req *r)
{
	struct app *a = r->app;
	const char *code = json_string_value(json_object_get(r->in, "code"));
	int rc;

	if ((rc = session_require_step_up(r, 0)) != RK_OK)
		return rc;
	if (!anti_phishing_ok(code))
		return http_fail(r, SP_ANTI_PHISHING_INVALID);
	if ((rc = db_exec(a->db, STMT_ANTI_PHISHING_SET, DBARGS(DB_S(code), DB_I(r->sess.account_id)), NULL, NULL)) != RK_OK ||
	    (rc = audit_append(a, r->sess.account_id, "anti_phishing_set", "account", r->ip, json_object())) != RK_OK ||
	    (rc = mail_notice(a, r, r->sess.account_id, NOTICE_ANTI_PHISHING_SET, NULL)) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s}", "code", code));
	return RK_OK;
}
