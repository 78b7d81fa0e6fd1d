/* api/account.c -- GET /api/me, the account summary. */
#include <stdio.h>
#include <string.h>
#include "api.h"

static const char *
value_tier(long long cents, long long high)
{
	if (cents >= high)
		return "high";
	if (cents >= high / 10)
		return "medium";
	return "low";
}

/* GET /api/me in one round trip (issue #21): the session is checked by the
 * statement that reads the summary (STMT_ME_SIGNED_IN: the account row
 * tagged 'a', ending with the session's columns, then the holds 'h', then
 * the sign-ins 's'); the route skips the dispatcher's session lookup. */
int
h_me(struct req *r)
{
	struct app *a = r->app;
	struct dbrows rows;
	json_t *tools, *open_case;
	char csrf[40];
	unsigned h = 1, s;
	int rc = session_read(r, STMT_ME_SIGNED_IN, 3, 12, AUTH_FULL, &rows);

	if (rc != RK_OK)
		return rc;
	/* UNION ALL streams its branches in order; anything else is refused, not guessed at */
	for (s = h; s < rows.nrows && strcmp(db_cell(&rows, s, 0, NULL), "h") == 0; s++)
		;
	for (unsigned i = s; i < rows.nrows; i++)
		if (strcmp(db_cell(&rows, i, 0, NULL), "s") != 0)
			s = 0;
	if (rows.nrows == 0 || strcmp(db_cell(&rows, 0, 0, NULL), "a") != 0 || s == 0) {
		db_rows_free(&rows);
		return RK_FAIL;
	}
	/* the open reset case, for the header's "My case" (#23), from the same row */
	open_case = db_cell_null(&rows, 0, 18) ? json_null() : json_pack("{s:I,s:s}", "id", (json_int_t)db_cell_ll(&rows, 0, 18),
	    "status", db_cell(&rows, 0, 19, NULL));
	tools = json_object();
	tools_from_row(&rows, 0, 9, tools);
	session_csrf(a, r->sess.token_hash, csrf);
	http_json(r, 200, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:b,s:s,s:s,s:o,s:o,s:o,s:s,s:o,s:o}",
	    "id", (json_int_t)db_cell_ll(&rows, 0, 1), "email", db_cell(&rows, 0, 2, NULL),
	    "display_name", db_cell(&rows, 0, 5, NULL), "identity_status", db_cell(&rows, 0, 3, NULL),
	    "value_tier", value_tier(db_cell_ll(&rows, 0, 4), a->cfg.high_value_cents),
	    "frozen", db_cell_ll(&rows, 0, 6) == 1, "no_passkey_protection", db_cell_ll(&rows, 0, 7) == 1,
	    "created_at", db_cell(&rows, 0, 8, NULL), "csrf", csrf, "tools", tools,
	    "withdrawal_hold", holds_from_rows(&rows, h, s, 1), "recent_signins", json_signins(&rows, s, rows.nrows, 1),
	    "operator", a->cfg.operator_name, "open_case", open_case,
	    /* #20: the saved language of the account's pages, mails and SMS; null until one is saved */
	    "language", *db_cell(&rows, 0, 20, NULL) ? json_string(db_cell(&rows, 0, 20, NULL)) : json_null()));
	/* #18: whether a freeze code was made (never the code: it is shown once), from the same row */
	json_object_set_new(r->out, "freeze_code", db_cell_null(&rows, 0, 16) ? json_null() : json_pack("{s:s,s:b}",
	    "issued_at", db_cell(&rows, 0, 16, NULL), "used", db_cell_ll(&rows, 0, 17) == 1));
	db_rows_free(&rows);
	return RK_OK;
}

/* PUT /api/account/language: the account's pages, mails and SMS in this
 * language from now on (#20; routes.c allows the catalogues' codes only). */
int
h_account_language(struct req *r)
{
	const char *l = json_string_value(json_object_get(r->in, "language"));
	int rc = db_exec(r->app->db, STMT_ACCOUNT_LANGUAGE_SET, DBARGS(DB_S(l), DB_I(r->sess.account_id)), NULL, NULL);

	if (rc != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s}", "language", l));
	return RK_OK;
}
