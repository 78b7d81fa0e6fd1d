/* base/json.h -- JSON from database rows and from bytes. */
#ifndef REKEY_BASE_JSON_H
#define REKEY_BASE_JSON_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "db.h"

/* [{keys[0]: cell, ...}] from rows [first, end), the cells from column COL on, one string per key */
json_t *json_rows_objects(const struct dbrows *rows, unsigned first, unsigned end, unsigned col, const char *const keys[], unsigned nkeys);
/* [{at, ip, country, device}] from rows [first, end) with the SQL_SIGNIN_COLS at COL */
json_t *json_signins(const struct dbrows *rows, unsigned first, unsigned end, unsigned col);
/* ["a", "b"] from the comma-separated configuration text "a,b" */
json_t *json_csv(const char *csv);
/* bytes as a base64url JSON string (null when out of memory) */
json_t *json_b64(const unsigned char *p, size_t n);

#endif
