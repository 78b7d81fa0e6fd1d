/* base/ratelimit.h -- fixed-window counters in MariaDB: 1 allowed, 0 limited, or the database's status (< 0). */
#ifndef REKEY_BASE_RATELIMIT_H
#define REKEY_BASE_RATELIMIT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

struct app;
struct req;
int rate_hit(struct app *a, const char *scope, const void *key, size_t keylen, int limit, int window_seconds);
int rate_clear(struct app *a, const char *scope, const void *key, size_t keylen);
/* Signed-out requests that store a row: RK_OK go on, RK_REFUSED (the 429 is in r), or the database's status. */
int rate_anon(struct req *r);

#endif
