/* base/ratelimit.c -- fixed-window counters in MariaDB. One upsert opens (or
 * resets) the window and counts the hit only under the limit; its
 * changed-row count is the answer, so concurrent requests can never count
 * past the limit. */
#include <string.h>
#include "base.h"

static void
bucket(struct app *a, const char *scope, const void *key, size_t keylen, unsigned char out[32])
{
	keys_hash(a->keys.bucket, scope, strlen(scope), key, keylen, out);
}

int
rate_hit(struct app *a, const char *scope, const void *key, size_t keylen, int limit, int window_seconds)
{
	unsigned char b[32];
	uint64_t aff = 0;
	int rc;

	if (limit <= 0)
		return 0;
	bucket(a, scope, key, keylen, b);
	if ((rc = db_exec(a->db, STMT_RATE_HIT, DBARGS(DB_B(b, 32), DB_I(window_seconds), DB_I(limit)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff == 0) /* 1 inserted, 2 updated; 0 unchanged: full */
		metrics_ratelimited(scope);
	return aff >= 1 ? 1 : 0;
}

/* Signed-out requests that store a row (a reset flow, a sign-in
 * challenge) share one budget per IP, so that one host cannot fill the
 * tables. RK_OK: go on; RK_REFUSED: the 429 is in r; < 0: the database's. */
int
rate_anon(struct req *r)
{
	struct app *a = r->app;
	int rc = rate_hit(a, "anon:ip", r->ip, strlen(r->ip), a->cfg.anon_limit_ip, a->cfg.signin_window_seconds);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return http_fail(r, SP_TOO_MANY_REQUESTS);
	return RK_OK;
}

int
rate_clear(struct app *a, const char *scope, const void *key, size_t keylen)
{
	unsigned char b[32];
	bucket(a, scope, key, keylen, b);
	return db_exec(a->db, STMT_RATE_CLEAR, DBARGS(DB_B(b, 32)), NULL, NULL);
}
