/* store/holds.h -- withdrawal holds. */
#ifndef REKEY_STORE_HOLDS_H
#define REKEY_STORE_HOLDS_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

/* Adds a hold and audits it. It sends no message: the event that caused it
 * (a deletion, a reset, a freeze) names the hold in its own, one message per
 * event (issue #16: every change sent two mails and two SMS). */
int holds_add(struct app *a, uint64_t account, const char *reason, const char *source_event, int seconds);
/* The message for a hold that no other message names (an operator's hold). */
int holds_notify(struct app *a, uint64_t account, const char *reason, int seconds);
int holds_json(struct app *a, uint64_t account, json_t **out);
/* {held, until, holds} from rows [first, end) with the SQL_HOLD_COLS at COL */
json_t *holds_from_rows(const struct dbrows *rows, unsigned first, unsigned end, unsigned col);
/* ... from an account summary's holds (a JSON array, borrowed), those ending after NOW; NULL if malformed */
json_t *holds_from_summary(json_t *all, const char *now);

#endif
