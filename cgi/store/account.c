/* store/account.c -- accounts: lookups shared by the flows. */
#include <stdio.h>
#include <string.h>
#include "store.h"

int
account_email(struct app *a, uint64_t account, char *out, size_t outlen)
{
	struct dbrows rows;
	int rc = db_query(a->db, STMT_ACCOUNT_GET, DBARGS(DB_I(account)), &rows);

	if (rc != RK_OK)
		return rc;
	if (rows.nrows != 1) {
		db_rows_free(&rows);
		return RK_FAIL;
	}
	snprintf(out, outlen, "%s", db_cell(&rows, 0, 1, NULL));
	db_rows_free(&rows);
	return RK_OK;
}
