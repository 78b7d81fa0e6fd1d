/* store/codes.h -- one-time codes. */
#ifndef REKEY_STORE_CODES_H
#define REKEY_STORE_CODES_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

#define CODE_TRIES 5

int codes_issue(struct app *a, uint64_t account, const char *purpose, const char *bound_to,
    const char *channel, const char *recipient, int *throttled);
/* 1 verified, 0 wrong (tries left in *left), -10 none/expired/used/exhausted (a verdict, not a status), or the database's status (< 0) */
int codes_verify(struct app *a, uint64_t account, const char *purpose, const char *bound_to,
    const char *code, int *left);
/* The shared answer for a code check that did not pass. */
int codes_refuse(struct req *r, int verdict, int left);

#endif
