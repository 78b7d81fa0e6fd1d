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
	static const char *const reasons[][2] = { { "passkey_deleted", "mail.hold_reason.passkey_deleted" },
		{ "passkey_reset", "mail.hold_reason.passkey_reset" }, { "account_frozen", "mail.hold_reason.account_frozen" } };
	const char *key = "mail.hold_reason.other";
	char how_long[60], why[200];
	enum i18n_lang l = mail_lang(a, account);

	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (strcmp(reason, reasons[i][0]) == 0)
			key = reasons[i][1];
	i18n_duration(l, seconds, how_long, sizeof how_long);
	i18n_format(l, key, why, sizeof why, NULL);
	return mail_notice(a, NULL, account, NOTICE_HOLD_STARTED, (const char *const[]){ "life", how_long, "reason", why, NULL });
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

/* {held, until, holds} from an account summary's holds (schema/031: a JSON
 * array, latest-ending first, as the holds were when it was made; borrowed):
 * those that end after NOW (the database's clock, in the same format, so that
 * the strings order as the times do). NULL if ALL is not such an array. */
json_t *
holds_from_summary(json_t *all, const char *now)
{
	json_t *live, *h;
	const char *until = NULL;
	size_t i;

	if (!json_is_array(all))
		return NULL;
	live = json_array();
	json_array_foreach(all, i, h) {
		const char *ends = json_string_value(json_object_get(h, "ends_at"));
		if (ends == NULL || json_object_size(h) != 4) {
			json_decref(live);
			return NULL;
		}
		if (strcmp(ends, now) > 0) {
			if (until == NULL)
				until = ends;
			json_array_append(live, h);
		}
	}
	return json_pack("{s:b,s:s?,s:o}", "held", until != NULL, "until", until, "holds", live);
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
