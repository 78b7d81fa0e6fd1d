/* store/face.c -- Case 2 face checks: queued for an external provider, and its signed webhook. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store.h"

int
face_identity_allows_match(const char *identity_status)
{
	return strcmp(identity_status, "verified") == 0;
}

int
face_queue(struct app *a, uint64_t case_id, int *queued)
{
	char ref[64];
	unsigned char raw[32];

	*queued = 0;
	if (strcmp(a->cfg.face_provider, PROVIDER_HTTP) != 0)
		return RK_OK; /* manual: the review console compares the frames with the photo on file */
	keys_random_token(ref, sizeof ref, raw);
	*queued = 1;
	return db_exec(a->db, STMT_FACE_CHECK_INSERT, DBARGS(DB_I(case_id), DB_S(a->cfg.face_provider), DB_S(ref)), NULL, NULL);
}

/* Before the body is parsed: "v1=" hex HMAC-SHA256(secret, timestamp "." body),
 * the timestamp within the tolerance either way. 0, or -1 with the answer set. */
int
face_webhook_verify(struct req *r)
{
	const struct config *c = &r->app->cfg;
	unsigned char want[crypto_auth_hmacsha256_BYTES], got[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char *end;
	long long ts;
	size_t bin = 0;

	if (strcmp(c->face_provider, PROVIDER_HTTP) != 0 || c->face_webhook_secret[0] == '\0')
		return http_fail(r, SP_NOT_FOUND);
	if (r->sig_timestamp == NULL || r->signature == NULL || strncmp(r->signature, "v1=", 3) != 0)
		return http_fail(r, SP_WEBHOOK_SIGNATURE);
	ts = strtoll(r->sig_timestamp, &end, 10);
	if (end == r->sig_timestamp || *end != '\0' || strlen(r->sig_timestamp) > 12)
		return http_fail(r, SP_WEBHOOK_TIMESTAMP);
	if (sodium_hex2bin(got, sizeof got, r->signature + 3, strlen(r->signature + 3), NULL, &bin, NULL) != 0 || bin != sizeof got)
		return http_fail(r, SP_WEBHOOK_SIGNATURE_MALFORMED);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)c->face_webhook_secret, strlen(c->face_webhook_secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)r->sig_timestamp, strlen(r->sig_timestamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)r->body, r->body_len);
	crypto_auth_hmacsha256_final(&st, want);
	if (!keys_equal(want, got, sizeof want))
		return http_fail(r, SP_WEBHOOK_SIGNATURE_WRONG);
	/* checked after the signature: an unsigned request learns nothing about the clock */
	if (ts < (long long)time(NULL) - c->face_webhook_tolerance || ts > (long long)time(NULL) + c->face_webhook_tolerance)
		return http_fail(r, SP_WEBHOOK_STALE);
	return RK_OK;
}
