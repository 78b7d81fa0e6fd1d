/* bench_assert.c -- assertion verification the way rekeyd does it (core
 * clientData and authData checks, then libfido2 ES256), in-process, on the
 * inputs tests/bench/webauthn.bench.mjs writes. Prints verifications/s. */
#include <fido.h>
#include <fido/es256.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../wasm/hash.h"
#include "../../wasm/webauthn.h"

static unsigned char *
slurp(const char *dir, const char *name, size_t *n)
{
	char path[512];
	FILE *f;
	unsigned char *b;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL || (b = malloc(1 << 16)) == NULL)
		exit(2);
	*n = fread(b, 1, 1 << 16, f);
	fclose(f);
	return b;
}

int
main(int argc, char **argv)
{
	size_t adl, cdl, sigl, pkl, chl;
	unsigned char *ad, *cd, *sig, *pk, *ch, cdh[32];
	char challenge[128], origin[] = "http://localhost:8080";
	long n = argc > 2 ? atol(argv[2]) : 20000;
	struct timespec t0, t1;
	es256_pk_t *key = es256_pk_new();

	if (argc < 2 || key == NULL)
		return 2;
	ad = slurp(argv[1], "authData", &adl);
	cd = slurp(argv[1], "clientDataJSON", &cdl);
	sig = slurp(argv[1], "signature", &sigl);
	pk = slurp(argv[1], "publicKey", &pkl);
	ch = slurp(argv[1], "challenge", &chl);
	snprintf(challenge, sizeof challenge, "%.*s", (int)chl, ch);
	if (es256_pk_from_ptr(key, pk, pkl) != FIDO_OK)
		return 3;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		struct clientdata c;
		struct problems ps = { 0, { 0 } };
		struct authdata a;
		fido_assert_t *as = fido_assert_new();
		clientdata_check(cd, cdl, "webauthn.get", challenge, origin, &c, &ps);
		hash_sha256(cd, cdl, cdh);
		if (ps.n || authdata_parse(ad, adl, &a) != PROB_OK ||
		    fido_assert_set_rp(as, "localhost") != FIDO_OK || fido_assert_set_clientdata_hash(as, cdh, 32) != FIDO_OK ||
		    fido_assert_set_count(as, 1) != FIDO_OK || fido_assert_set_authdata_raw(as, 0, ad, adl) != FIDO_OK ||
		    fido_assert_set_sig(as, 0, sig, sigl) != FIDO_OK || fido_assert_set_up(as, FIDO_OPT_TRUE) != FIDO_OK ||
		    fido_assert_set_uv(as, FIDO_OPT_TRUE) != FIDO_OK || fido_assert_verify(as, 0, COSE_ES256, key) != FIDO_OK) {
			fprintf(stderr, "verification failed at %ld\n", i);
			return 1;
		}
		fido_assert_free(&as);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.0f\n", (double)n / ((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9));
	es256_pk_free(&key);
	return 0;
}
