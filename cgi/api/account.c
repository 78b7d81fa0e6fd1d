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
 * statement that reads the page (STMT_ME_SIGNED_IN: the session, the account
 * and the summary the database keeps for it, schema/031, each by its key);
 * the route skips the dispatcher's session lookup. */
int
h_me(struct req *r)
{
	struct app *a = r->app;
	struct dbrows rows;
	json_t *tools, *open_case, *holds, *signins;
	char csrf[40];
	int rc = session_read(r, STMT_ME_SIGNED_IN, 1, 11, AUTH_FULL, &rows);

	if (rc != RK_OK)
		return rc;
	holds = holds_from_summary(db_cell(&rows, 0, 20, NULL), db_cell(&rows, 0, 22, NULL));
	signins = json_loads(db_cell(&rows, 0, 21, NULL), JSON_REJECT_DUPLICATES, NULL);
	if (holds == NULL || !json_is_array(signins)) { /* the database's own JSON: anything else is refused, not guessed at */
		json_decref(holds);
		json_decref(signins);
		db_rows_free(&rows);
		return RK_FAIL;
	}
	/* the open reset case, for the header's "My case" (#23) */
	open_case = db_cell_null(&rows, 0, 17) ? json_null() : json_pack("{s:I,s:s}", "id", (json_int_t)db_cell_ll(&rows, 0, 17),
	    "status", db_cell(&rows, 0, 18, NULL));
	tools = json_object();
	tools_from_row(&rows, 0, 8, tools);
	session_csrf(a, r->sess.token_hash, csrf);
	http_json(r, 200, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:b,s:s,s:s,s:o,s:o,s:o,s:s,s:o,s:o}",
	    "id", (json_int_t)db_cell_ll(&rows, 0, 0), "email", db_cell(&rows, 0, 1, NULL),
	    "display_name", db_cell(&rows, 0, 4, NULL), "identity_status", db_cell(&rows, 0, 2, NULL),
	    "value_tier", value_tier(db_cell_ll(&rows, 0, 3), a->cfg.high_value_cents),
	    "frozen", db_cell_ll(&rows, 0, 5) == 1, "no_passkey_protection", db_cell_ll(&rows, 0, 6) == 1,
	    "created_at", db_cell(&rows, 0, 7, NULL), "csrf", csrf, "tools", tools,
	    "withdrawal_hold", holds, "recent_signins", signins,
	    "operator", a->cfg.operator_name, "open_case", open_case,
	    /* #20: the saved language of the account's pages, mails and SMS; null until one is saved */
	    "language", *db_cell(&rows, 0, 19, NULL) ? json_string(db_cell(&rows, 0, 19, NULL)) : json_null()));
	/* #18: whether a freeze code was made (never the code: it is shown once) */
	json_object_set_new(r->out, "freeze_code", db_cell_null(&rows, 0, 15) ? json_null() : json_pack("{s:s,s:b}",
	    "issued_at", db_cell(&rows, 0, 15, NULL), "used", db_cell_ll(&rows, 0, 16) == 1));
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
