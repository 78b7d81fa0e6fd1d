/* api/holds.c -- GET /api/holds/withdrawal, for the exchange (service token). */
#include <stdlib.h>
#include <string.h>
#include "api.h"

int
h_holds_withdrawal(struct req *r)
{
	struct dbrows rows;
	json_t *out = NULL;
	uint64_t id = strtoull(http_query(r, "account"), NULL, 10); /* required digits: routes.c checked */
	int rc;

	if ((rc = db_query(r->app->db, STMT_ACCOUNT_EXISTS, DBARGS(DB_I(id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_ACCOUNT);
	}
	db_rows_free(&rows);
	if ((rc = holds_json(r->app, id, &out)) != RK_OK)
		return rc;
	json_object_set_new(out, "account", json_integer((json_int_t)id));
	http_json(r, 200, out);
	return RK_OK;
}
