/* store/cases.h -- reset cases after the browser's part: events, the reset itself, rejection. */
#ifndef REKEY_STORE_CASES_H
#define REKEY_STORE_CASES_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

int cases_event(struct app *a, uint64_t case_id, const char *event, const char *detail);
int cases_reset_account(struct req *r, uint64_t account, uint64_t case_id, const char *how, const char *actor);
int cases_flow_move(struct req *r, uint64_t case_id, const char *event, int finish);
int cases_reject(struct req *r, uint64_t case_id, uint64_t account, const char *code, const char *user_reason, const char *actor);

#endif
