/* store/account.c -- accounts: lookups shared by the flows. */
#include <stdio.h>
#include <string.h>
#include "store.h"

void
account_email_normalize(char *email)
{
	for (char *p = email; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
}

int
account_find(struct app *a, const char *email, struct account_login *out)
{
	struct dbrows rows;
	int rc = db_query(a->db, STMT_ACCOUNT_BY_EMAIL, DBARGS(DB_S(email)), &rows);

	memset(out, 0, sizeof *out);
	if (rc != RK_OK)
		return rc;
	if (rows.nrows == 1) {
		out->found = 1;
		out->id = (uint64_t)db_cell_ll(&rows, 0, 0);
		snprintf(out->hash, sizeof out->hash, "%s", db_cell(&rows, 0, 1, NULL));
		out->frozen = db_cell_ll(&rows, 0, 2) != 0;
	}
	db_rows_free(&rows);
	return RK_OK;
}

int
account_password_ok(const struct app *a, const struct account_login *l, const char *pw)
{
	/* the dummy's password is random: never a match, the same work */
	int ok = crypto_pwhash_str_verify(l->found ? l->hash : a->dummy_hash, pw, strlen(pw)) == 0;
	return ok && l->found && !l->frozen;
}

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
