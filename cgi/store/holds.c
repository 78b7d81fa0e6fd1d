/* store/holds.c -- withdrawal holds. Rows are only added; the effective end is the latest. */
#include <stdlib.h>
#include <string.h>
#include "store.h"

int
holds_add(struct app *a, uint64_t account, const char *reason, const char *source_event, int seconds)
{
	int rc = db_exec(a->db, STMT_HOLD_INSERT, DBARGS(DB_I(account), DB_S(reason), DB_S(source_event), DB_I(seconds)), NULL, NULL);

	if (rc != RK_OK)
		return rc;
	return audit_append(a, account, "hold_started", "system", "", json_pack("{s:s,s:s,s:i}", "reason", reason,
	    "source_event", source_event, "seconds", seconds));
}

int
holds_notify(struct app *a, uint64_t account, const char *reason, int seconds)
{
	char body[400], how_long[40];

	config_duration_text(seconds, how_long, sizeof how_long);
	snprintf(body, sizeof body, "For your security, withdrawals from your account are held for %s (reason: %s).\n"
	    "If you did not make this change, contact support now.\n", how_long, reason);
	return mail_notice(a, NULL, account, NOTICE_HOLD_STARTED, body);
}

/* {held, until, holds} from rows [first, end) with the SQL_HOLD_COLS at COL. */
json_t *
holds_from_rows(const struct dbrows *rows, unsigned first, unsigned end, unsigned col)
{
	static const char *const keys[] = { "reason", "source_event", "starts_at", "ends_at" };
	json_t *list = json_rows_objects(rows, first, end, col, keys, 4);

	return json_pack("{s:b,s:o,s:o}", "held", end > first,
	    "until", end > first ? json_string(db_cell(rows, first, col + 3, NULL)) : json_null(), "holds", list);
}

int
holds_json(struct app *a, uint64_t account, json_t **out)
{
	struct dbrows rows;
	int rc = db_query(a->db, STMT_HOLD_ACTIVE, DBARGS(DB_I(account)), &rows);

	if (rc != RK_OK)
		return rc;
	*out = holds_from_rows(&rows, 0, rows.nrows, 0);
	db_rows_free(&rows);
	return RK_OK;
}
