/* store/recovery.c -- saved recovery codes: made in sets, kept as keyed hashes, spent once. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "store.h"

/* RFC 4648 §6: the base32 alphabet; no 0/1/8/9, so no O/0 or I/1 confusion */
static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static void
code_hash(struct app *a, uint64_t account, const char *canon, unsigned char out[32])
{
	char ctx[64];
	int n = snprintf(ctx, sizeof ctx, "recovery-code|%llu", (unsigned long long)account);
	keys_hash(a->keys.code, ctx, (size_t)n, canon, strlen(canon), out);
}

/* The typed code as stored: 16 base32 characters, case, spaces and dashes ignored; 0 when it cannot be one. */
static int
code_canon(const char *in, char out[17])
{
	size_t n = 0;

	for (; in && *in; in++) {
		char c = (char)toupper((unsigned char)*in);
		if (c == '-' || c == ' ')
			continue;
		if (n == 16 || strchr(b32, c) == NULL || c == '\0')
			return 0;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == 16;
}

int
recovery_make(struct app *a, uint64_t account, char codes[RECOVERY_CODES][RECOVERY_CODE_TEXT], char created_at[32])
{
	uint64_t set_id;
	int rc;

	if ((rc = db_exec(a->db, STMT_RECOVERY_VOID, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK)
		return rc;
	randombytes_buf(&set_id, sizeof set_id);
	set_id >>= 1; /* BIGINT UNSIGNED holds it; a signed binding does too */
	for (int i = 0; i < RECOVERY_CODES; i++) {
		unsigned char raw[RECOVERY_CODE_BYTES], h[32];
		char canon[17];
		/* 80 bits, 5 at a time */
		randombytes_buf(raw, sizeof raw);
		for (int k = 0; k < 16; k++) {
			int bit = k * 5, v = 0;
			for (int j = 0; j < 5; j++, bit++)
				v = v << 1 | (raw[bit / 8] >> (7 - bit % 8) & 1);
			canon[k] = b32[v];
		}
		canon[16] = '\0';
		snprintf(codes[i], RECOVERY_CODE_TEXT, "%.4s-%.4s-%.4s-%.4s", canon, canon + 4, canon + 8, canon + 12);
		code_hash(a, account, canon, h);
		sodium_memzero(raw, sizeof raw);
		sodium_memzero(canon, sizeof canon);
		if ((rc = db_exec(a->db, STMT_RECOVERY_INSERT, DBARGS(DB_I(account), DB_I(set_id), DB_B(h, 32)), NULL, NULL)) != RK_OK)
			return rc;
	}
	/* the time GET /api/recovery-codes will say: the set's own */
	{
		int remaining;
		return recovery_status(a, account, &remaining, created_at);
	}
}

int
recovery_status(struct app *a, uint64_t account, int *remaining, char created_at[32])
{
	struct dbrows rows;
	int rc = db_query(a->db, STMT_RECOVERY_STATUS, DBARGS(DB_I(account)), &rows);

	if (rc != RK_OK)
		return rc;
	*remaining = rows.nrows ? (int)db_cell_ll(&rows, 0, 0) : 0;
	snprintf(created_at, 32, "%s", rows.nrows && !db_cell_null(&rows, 0, 1) ? db_cell(&rows, 0, 1, NULL) : "");
	db_rows_free(&rows);
	return RK_OK;
}

int
recovery_use(struct app *a, uint64_t account, const char *code)
{
	unsigned char h[32];
	char canon[17];
	uint64_t aff = 0;
	int rc;

	if (!code_canon(code, canon))
		return 0;
	code_hash(a, account, canon, h);
	sodium_memzero(canon, sizeof canon);
	/* the winner of any race is whoever flips used_at; a keyed hash is
	 * looked up, never compared byte by byte against the typed text */
	if ((rc = db_exec(a->db, STMT_RECOVERY_USE, DBARGS(DB_I(account), DB_B(h, 32)), &aff, NULL)) != RK_OK)
		return rc;
	return aff == 1;
}
