/* store/tools.c -- second factors: TOTP (liboath, RFC 6238) and phone (SMS codes). */
#include <liboath/oath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store.h"


int
tools_totp_secret(struct app *a, uint64_t account, unsigned char *secret, size_t *len, int *confirmed, long long *last)
{
	struct dbrows rows;
	size_t bl;
	const char *box;
	const unsigned char *key;
	int rc = db_query(a->db, STMT_TOTP_GET, DBARGS(DB_I(account)), &rows);

	if (rc != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return 0;
	}
	box = db_cell(&rows, 0, 0, &bl);
	*confirmed = db_cell_ll(&rows, 0, 1) == 1;
	*last = db_cell_ll(&rows, 0, 2);
	/* sealed under the key of the row's key id (base/keys.h: key 1 is the server key's subkey) */
	key = keys_vault_key(&a->keys, KEYS_USE_TOTP, (int)db_cell_ll(&rows, 0, 3));
	rc = key == NULL ? -1 : keys_open(key, (const unsigned char *)box, bl, secret, 64, len);
	db_rows_free(&rows);
	return rc == 0 ? 1 : RK_FAIL;
}

/* Checks code within ±1 step; returns the matched absolute step or -1. */
long long
tools_totp_match(const unsigned char *secret, size_t len, const char *code)
{
	uint64_t counter = 0;
	int pos = 0;
	int rc = oath_totp_validate3((const char *)secret, len, time(NULL), OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
	    OATH_TOTP_DEFAULT_START_TIME, 1, &pos, &counter, code);
	return rc >= 0 ? (long long)counter : -1;
}

int
tools_totp_check(struct app *a, uint64_t account, const char *code)
{
	unsigned char secret[64];
	size_t len = 0;
	int confirmed = 0, rc;
	long long last = 0, step;
	uint64_t aff = 0;

	if ((rc = tools_totp_secret(a, account, secret, &len, &confirmed, &last)) < 0)
		return rc;
	if (rc == 0 || !confirmed)
		return 0;
	step = tools_totp_match(secret, len, code);
	sodium_memzero(secret, sizeof secret);
	if (step < 0)
		return 0;
	/* RFC 6238 §5.2: a code is accepted once; the step only moves forward */
	if ((rc = db_exec(a->db, STMT_TOTP_USE_STEP, DBARGS(DB_I(step), DB_I(account), DB_I(step)), &aff, NULL)) != RK_OK)
		return rc;
	return aff == 1 ? 1 : 0;
}

static void
mask_phone(const char *n, char *out, size_t outlen)
{
	size_t l = strlen(n);
	if (l < 6) {
		snprintf(out, outlen, "•••");
		return;
	}
	snprintf(out, outlen, "%.3s•••••%s", n, n + l - 2);
}

/* The tools as every page shows them: TOTP confirmed, the passkeys that
 * count, the confirmed phone masked (NULL: none) */
static void
tools_put(json_t *out, int totp, long long passkeys, const char *phone)
{
	char masked[40];

	json_object_set_new(out, "totp", json_boolean(totp));
	json_object_set_new(out, "passkeys", json_integer(passkeys));
	if (phone != NULL) {
		mask_phone(phone, masked, sizeof masked);
		json_object_set_new(out, "phone", json_string(masked));
	} else {
		json_object_set_new(out, "phone", json_null());
	}
}

/* The tools from the three SQL_TOOLS_COLS cells starting at column COL. */
void
tools_from_row(const struct dbrows *rows, unsigned row, unsigned col, json_t *out)
{
	tools_put(out, db_cell_ll(rows, row, col) == 1, db_cell_ll(rows, row, col + 1),
	    db_cell_null(rows, row, col + 2) ? NULL : db_cell(rows, row, col + 2, NULL));
}

int
tools_summary(struct app *a, uint64_t account, json_t *out)
{
	struct dbrows rows;
	int rc = db_query(a->db, STMT_TOOLS_SUMMARY, DBARGS(DB_I(account)), &rows);

	if (rc != RK_OK)
		return rc;
	if (rows.nrows != 1) {
		db_rows_free(&rows);
		return RK_FAIL;
	}
	tools_from_row(&rows, 0, 0, out);
	db_rows_free(&rows);
	return RK_OK;
}
