/* store/codes.c -- one-time codes: 6 digits, 10-minute life, 5 tries, single use, stored as keyed hashes, bound to a purpose and to what asked. */
#include <stdio.h>
#include <string.h>
#include "store.h"

static void
code_hash(struct app *a, uint64_t account, const char *purpose, const char *bound_to, const char *code,
    unsigned char out[32])
{
	char ctx[200];
	int n = snprintf(ctx, sizeof ctx, "%llu|%s|%s", (unsigned long long)account, purpose, bound_to);
	keys_hash(a->keys.code, ctx, (size_t)n, code, strlen(code), out);
}

int
codes_issue(struct app *a, uint64_t account, const char *purpose, const char *bound_to,
    const char *channel, const char *recipient, int *throttled)
{
	char life[60];
	char code[8], ctx[200], subject[200], body[900];
	enum i18n_lang l;
	unsigned char h[32];
	int rc, n;

	*throttled = 0;
	n = snprintf(ctx, sizeof ctx, "%llu|%s|%s", (unsigned long long)account, purpose, bound_to);
	if ((rc = rate_hit(a, "code:resend", ctx, (size_t)n, 1, a->cfg.code_resend_seconds)) < 0)
		return rc;
	if (rc == 0) {
		*throttled = 1;
		return RK_OK;
	}
	snprintf(code, sizeof code, "%06u", randombytes_uniform(1000000));
	code_hash(a, account, purpose, bound_to, code, h);
	if ((rc = db_exec(a->db, STMT_CODE_RETIRE, DBARGS(DB_I(account), DB_S(purpose), DB_S(bound_to)), NULL, NULL)) != RK_OK)
		return rc;
	if ((rc = db_exec(a->db, STMT_CODE_INSERT, DBARGS(DB_I(account), DB_S(purpose), DB_S(bound_to), DB_S(channel),
	    DB_B(h, 32), DB_I(a->cfg.code_seconds)), NULL, NULL)) != RK_OK)
		return rc;
	/* in the account's language (#20) */
	l = mail_lang(a, account);
	i18n_duration(l, a->cfg.code_seconds, life, sizeof life);
	const char *const vars[] = { "operator", a->cfg.operator_name, "code", code, "life", life, NULL };
	if (strcmp(channel, "sms") == 0) {
		i18n_format(l, "sms.code", body, sizeof body, vars);
		rc = mail_queue(a, account, "sms", recipient, "code", body);
	} else {
		i18n_format(l, "mail.code.subject", subject, sizeof subject, vars);
		i18n_format(l, "mail.code.body", body, sizeof body, vars);
		rc = mail_queue(a, account, "email", recipient, subject, body);
	}
	sodium_memzero(code, sizeof code);
	sodium_memzero(body, sizeof body);
	return rc;
}

int
codes_verify(struct app *a, uint64_t account, const char *purpose, const char *bound_to,
    const char *code, int *left)
{
	struct dbrows rows;
	unsigned char h[32];
	uint64_t id, aff = 0;
	long long tries;
	int rc, live, unused, match;
	size_t hl;

	*left = 0;
	if ((rc = db_query(a->db, STMT_CODE_LATEST, DBARGS(DB_I(account), DB_S(purpose), DB_S(bound_to)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return -10;
	}
	id = (uint64_t)db_cell_ll(&rows, 0, 0);
	tries = db_cell_ll(&rows, 0, 2);
	live = db_cell_ll(&rows, 0, 3) == 1;
	unused = db_cell_ll(&rows, 0, 4) == 1;
	code_hash(a, account, purpose, bound_to, code, h);
	match = db_cell(&rows, 0, 1, &hl) && hl == 32 && keys_equal(db_cell(&rows, 0, 1, NULL), h, 32);
	db_rows_free(&rows);
	if (!live || !unused || tries >= CODE_TRIES)
		return -10;
	if (match) {
		/* the winner of any race is whoever flips used_at */
		if ((rc = db_exec(a->db, STMT_CODE_USE, DBARGS(DB_I(id), DB_I(CODE_TRIES)), &aff, NULL)) != RK_OK)
			return rc;
		return aff == 1 ? 1 : -10;
	}
	if ((rc = db_exec(a->db, STMT_CODE_FAIL, DBARGS(DB_I(id), DB_I(CODE_TRIES)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return -10;
	*left = (int)(CODE_TRIES - tries - 1);
	return 0;
}

/* Shared answer for a code check that did not pass. */
int
codes_refuse(struct req *r, int verdict, int left)
{
	if (verdict == 0)
		return http_fail_with(r, left > 0 ? SP_CODE_WRONG_TRIES : SP_CODE_WRONG_LAST, json_pack("{s:i}", "tries_left", left));
	return http_fail(r, SP_CODE_EXPIRED);
}
