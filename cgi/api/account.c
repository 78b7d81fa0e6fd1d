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

/* The summary's document (schema/035) as the page needs it: every member
 * there with its type, nothing else. The database's own JSON: anything
 * else is refused, not guessed at. */
static const struct { const char *name; int type; } DOC[] = {
	{ "email", JSON_STRING }, { "identity_status", JSON_STRING }, { "display_name", JSON_STRING },
	{ "no_passkey_protection", JSON_INTEGER }, { "created_at", JSON_STRING }, { "language", -JSON_STRING },
	{ "totp", -JSON_INTEGER }, { "passkeys", JSON_INTEGER }, { "phone", -JSON_STRING }, { "freeze_at", -JSON_STRING },
	{ "freeze_used", JSON_INTEGER }, { "case_id", -JSON_INTEGER }, { "case_status", -JSON_STRING },
	{ "holds", JSON_ARRAY }, { "signins", JSON_ARRAY },
}; /* a negative type: that type or null */

static int
doc_ok(const json_t *doc)
{
	if (!json_is_object(doc) || json_object_size(doc) != sizeof DOC / sizeof DOC[0])
		return 0;
	for (size_t i = 0; i < sizeof DOC / sizeof DOC[0]; i++) {
		const json_t *v = json_object_get(doc, DOC[i].name);
		int t = DOC[i].type < 0 ? -DOC[i].type : DOC[i].type;
		if (v == NULL || !((int)json_typeof(v) == t || (DOC[i].type < 0 && json_is_null(v))))
			return 0;
	}
	return 1;
}

#define DOC_S(d, k) json_string_value(json_object_get((d), (k)))
#define DOC_I(d, k) json_integer_value(json_object_get((d), (k)))

/* GET /api/me in one round trip (issue #21): the session is checked by the
 * statement that reads the page (STMT_ME_SIGNED_IN: the session and the
 * summary the database keeps for its account, schema/031 and 035, each by its
 * key); the route skips the dispatcher's session lookup. */
int
h_me(struct req *r)
{
	struct app *a = r->app;
	struct dbrows rows;
	json_t *doc, *tools, *holds, *lang;
	char csrf[40];
	int rc = session_read(r, STMT_ME_SIGNED_IN, 1, 0, AUTH_FULL, &rows);

	if (rc != RK_OK)
		return rc;
	doc = json_loadb(db_cell(&rows, 0, 5, NULL), rows.len[5], JSON_REJECT_DUPLICATES, NULL);
	tools = json_object();
	if (!doc_ok(doc) || tools_from_doc(doc, tools) != 0 ||
	    (holds = holds_from_summary(json_object_get(doc, "holds"), db_cell(&rows, 0, 6, NULL))) == NULL) {
		json_decref(doc);
		json_decref(tools);
		db_rows_free(&rows);
		return RK_FAIL;
	}
	session_csrf(a, r->sess.token_hash, csrf);
	/* #20: the saved language of the account's pages, mails and SMS; null until one is saved */
	lang = json_object_get(doc, "language");
	http_json(r, 200, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:b,s:s,s:s,s:o,s:o,s:O,s:s,s:o,s:o}",
	    "id", (json_int_t)db_cell_ll(&rows, 0, 1), "email", DOC_S(doc, "email"),
	    "display_name", DOC_S(doc, "display_name"), "identity_status", DOC_S(doc, "identity_status"),
	    "value_tier", value_tier(db_cell_ll(&rows, 0, 4), a->cfg.high_value_cents),
	    "frozen", 0, "no_passkey_protection", DOC_I(doc, "no_passkey_protection") == 1,
	    "created_at", DOC_S(doc, "created_at"), "csrf", csrf, "tools", tools,
	    "withdrawal_hold", holds, "recent_signins", json_object_get(doc, "signins"),
	    "operator", a->cfg.operator_name,
	    /* the open reset case, for the header's "My case" (#23) */
	    "open_case", json_is_null(json_object_get(doc, "case_id")) ? json_null() :
	    json_pack("{s:I,s:s}", "id", (json_int_t)DOC_I(doc, "case_id"), "status", DOC_S(doc, "case_status") ? DOC_S(doc, "case_status") : ""),
	    "language", json_is_string(lang) && *json_string_value(lang) ? json_incref(lang) : json_null()));
	/* #18: whether a freeze code was made (never the code: it is shown once) */
	json_object_set_new(r->out, "freeze_code", json_is_null(json_object_get(doc, "freeze_at")) ? json_null() : json_pack("{s:s,s:b}",
	    "issued_at", DOC_S(doc, "freeze_at"), "used", DOC_I(doc, "freeze_used") == 1));
	json_decref(doc);
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
