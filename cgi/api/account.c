/* api/account.c -- GET /api/me, the account summary. */
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
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

/* The page's document (schema/037) as the database made it, to be sent as it
 * is: it starts as 037's function starts it ('{"email":"', compact: 036's
 * document, which holds the phone unmasked, starts '{"email": "' and is
 * refused), ends with '}' and holds no NUL. The bytes between are the
 * function's (JSON_OBJECT's quoting): only the summary's triggers write
 * them, rekeyd's users cannot, and `rekeyctl summaries check` names any
 * document that differs from what the function makes of the account now.
 * Refused: 500, nothing shown, never mended. */
#define PAGE_DOC_START "{\"email\":\""
static int
page_doc_ok(const struct dbrows *rows, size_t len)
{
	const char *d = db_cell(rows, 0, 5, NULL);

	return len > sizeof PAGE_DOC_START && memcmp(d, PAGE_DOC_START, sizeof PAGE_DOC_START - 1) == 0 &&
	    d[len - 1] == '}' && memchr(d, '\0', len) == NULL;
}

/* v as JSON text (malloc'd; NULL when out of memory); takes v */
static char *
dump_new(json_t *v)
{
	char *t = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	json_decref(v);
	return t;
}

/* GET /api/me in one round trip (issue #21): the session is checked by the
 * statement that reads the page (STMT_ME_SIGNED_IN: the session and the
 * summary the database keeps for its account, schema/031, 035 and 037, each
 * by its key); the route skips the dispatcher's session lookup. The body is
 * the summary's document, bytes as stored, with the members that are not the
 * account's to keep appended: the session's (id, CSRF token), the configured
 * ones (value tier, operator), the tools (the phone masked) and the holds
 * still running at the database's now. Appended last: no member of the
 * document can stand in for the session's. Written without a JSON tree: on
 * this request, the page the browser asks for most, the tree took a third
 * of rekeyd's time (README, issue #21). */
int
h_me(struct req *r)
{
	struct app *a = r->app;
	struct dbrows rows;
	json_t *tools;
	char csrf[40], *holds, *tools_text, *tail = NULL;
	size_t dl;
	int n = -1, rc = session_read(r, STMT_ME_SIGNED_IN, 1, 0, AUTH_FULL, &rows);

	if (rc != RK_OK)
		return rc;
	dl = rows.len[5];
	/* the holds: none (the common case) as they are, else those still running */
	if (rows.len[10] == 2 && memcmp(db_cell(&rows, 0, 10, NULL), "[]", 2) == 0) {
		holds = strdup("{\"held\":false,\"until\":null,\"holds\":[]}");
	} else {
		json_t *all = json_loadb(db_cell(&rows, 0, 10, NULL), rows.len[10], JSON_REJECT_DUPLICATES, NULL);
		holds = dump_new(holds_from_summary(all, db_cell(&rows, 0, 6, NULL)));
		json_decref(all);
	}
	tools = json_object();
	tools_from_row(&rows, 0, 7, tools);
	tools_text = dump_new(tools);
	session_csrf(a, r->sess.token_hash, csrf);
	if (!page_doc_ok(&rows, dl))
		log_msg("error", "rekeyd: account %llu: its summary's document is not as schema/037 makes it (refused)",
		    (unsigned long long)r->sess.account_id);
	else if (holds == NULL)
		log_msg("error", "rekeyd: account %llu: its summary's holds are not as schema/031 makes them, or out of memory",
		    (unsigned long long)r->sess.account_id);
	else if (tools_text)
		n = asprintf(&tail, ",\"id\":%llu,\"value_tier\":\"%s\",\"frozen\":false,\"csrf\":\"%s\",\"operator\":%s,\"tools\":%s,\"withdrawal_hold\":%s}",
		    (unsigned long long)db_cell_ll(&rows, 0, 1), value_tier(db_cell_ll(&rows, 0, 4), a->cfg.high_value_cents), csrf,
		    a->operator_json, tools_text, holds);
	free(holds);
	free(tools_text);
	/* the document without its '}', then the appended members and the '}' */
	if (n > 0 && (r->raw = malloc(dl - 1 + (size_t)n)) != NULL) {
		memcpy(r->raw, db_cell(&rows, 0, 5, NULL), dl - 1);
		memcpy(r->raw + dl - 1, tail, (size_t)n);
		r->raw_len = dl - 1 + (size_t)n;
		r->raw_type = "application/json; charset=utf-8";
		r->status = 200;
	} else {
		rc = RK_FAIL;
	}
	if (n > 0)
		free(tail);
	db_rows_free(&rows);
	return rc;
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
