/* fuzz_srv_webhook.c -- the face provider's signed webhook (store/face.c,
 * face_webhook_verify): the input is split into timestamp, signature header
 * and body at the first two newlines. Anything but a correct signature over
 * a timely timestamp is refused with a 401 and changes nothing; the same
 * body signed correctly by the harness is accepted. A timestamp "now" is
 * the current time (so that a stored input stays timely). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../cgi/store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char secret[] = "fuzz-webhook-secret";

static void
setup(struct app *a, struct req *r)
{
	memset(a, 0, sizeof *a);
	memset(r, 0, sizeof *r);
	snprintf(a->cfg.face_provider, sizeof a->cfg.face_provider, "http");
	snprintf(a->cfg.face_webhook_secret, sizeof a->cfg.face_webhook_secret, "%s", secret);
	a->cfg.face_webhook_tolerance = 300;
	r->app = a;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct app a;
	struct req r;
	char *s = malloc(size + 1), *ts, *sig, *body, good[80], hex[65], now[24];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	int rc;

	if (!ready)
		ready = sodium_init() >= 0;
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ts = s;
	sig = strchr(ts, '\n');
	body = sig ? strchr(sig + 1, '\n') : NULL;
	if (sig == NULL || body == NULL) {
		free(s);
		return 0;
	}
	*sig++ = '\0';
	*body++ = '\0';
	if (strcmp(ts, "now") == 0) {
		snprintf(now, sizeof now, "%lld", (long long)time(NULL));
		ts = now;
	}
	setup(&a, &r);
	r.sig_timestamp = ts;
	r.signature = sig;
	r.body = body;
	r.body_len = strlen(body);
	rc = face_webhook_verify(&r);
	if (rc != RK_OK && (rc != RK_REFUSED || r.status != 401))
		abort();
	if (rc == RK_OK) {
		/* accepted: then it was exactly the right MAC over a timely timestamp */
		unsigned char got[crypto_auth_hmacsha256_BYTES];
		size_t bin = 0;
		long long t = atoll(ts);
		crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
		crypto_auth_hmacsha256_final(&st, mac);
		if (strncmp(sig, "v1=", 3) != 0 || sodium_hex2bin(got, sizeof got, sig + 3, strlen(sig + 3), NULL, &bin, NULL) != 0 ||
		    bin != sizeof got || memcmp(got, mac, sizeof mac) != 0 || t < (long long)time(NULL) - 400 || t > (long long)time(NULL) + 400)
			abort();
	}
	if (r.out)
		json_decref(r.out);
	/* the same body, signed right, now: accepted */
	snprintf(now, sizeof now, "%lld", (long long)time(NULL));
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)now, strlen(now));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(good, sizeof good, "v1=%s", hex);
	setup(&a, &r);
	r.sig_timestamp = now;
	r.signature = good;
	r.body = body;
	r.body_len = strlen(body);
	if (face_webhook_verify(&r) != RK_OK)
		abort();
	free(s);
	return 0;
}
