/* base/json.c -- JSON from database rows and bytes. */
#include <stdlib.h>
#include <string.h>
#include "base.h"
#include "../../wasm/b64url.h"

/* [{keys[0]: cell, ...}] from rows [first, end), the cells from column COL
 * on, one string per key (SQL NULL: "") */
json_t *
json_rows_objects(const struct dbrows *rows, unsigned first, unsigned end, unsigned col, const char *const keys[], unsigned nkeys)
{
	json_t *list = json_array();

	for (unsigned i = first; i < end; i++) {
		json_t *o = json_object();
		for (unsigned k = 0; k < nkeys; k++)
			json_object_set_new(o, keys[k], json_string(db_cell(rows, i, col + k, NULL)));
		json_array_append_new(list, o);
	}
	return list;
}

/* [{at, ip, country, device}] from rows [first, end) with the SQL_SIGNIN_COLS at COL. */
json_t *
json_signins(const struct dbrows *rows, unsigned first, unsigned end, unsigned col)
{
	static const char *const keys[] = { "at", "ip", "country", "device" };
	return json_rows_objects(rows, first, end, col, keys, 4);
}

/* ["a", "b"] from the comma-separated configuration text "a,b" (at most 511 bytes). */
json_t *
json_csv(const char *csv)
{
	json_t *j = json_array();
	char buf[512];
	snprintf(buf, sizeof buf, "%s", csv);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(j, json_string(t));
	return j;
}

json_t *
json_b64(const unsigned char *p, size_t n)
{
	size_t cap = b64url_encoded_len(n) + 1, len = 0;
	char *t = malloc(cap);
	json_t *j;

	if (t == NULL || b64url_encode(p, n, t, cap, &len) != PROB_OK) {
		free(t);
		return json_null();
	}
	j = json_stringn(t, len);
	free(t);
	return j;
}
