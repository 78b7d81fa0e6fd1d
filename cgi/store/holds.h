/* store/holds.h -- withdrawal holds. */
#ifndef REKEY_STORE_HOLDS_H
#define REKEY_STORE_HOLDS_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

int holds_add(struct app *a, uint64_t account, const char *reason, const char *source_event, int seconds);
int holds_json(struct app *a, uint64_t account, json_t **out);
/* {held, until, holds} from rows [first, end) with the SQL_HOLD_COLS at COL */
json_t *holds_from_rows(const struct dbrows *rows, unsigned first, unsigned end, unsigned col);

#endif
