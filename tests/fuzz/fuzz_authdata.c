/* fuzz_authdata.c -- authenticator data: every borrowed pointer stays inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include "../../wasm/webauthn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INSIDE(p, n) ((p) >= data && (p) + (n) <= data + size)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct authdata ad;

	if (authdata_parse(data, size, &ad) != PROB_OK)
		return 0;
	if (size < 37 || !INSIDE(ad.rp_id_hash, 32))
		abort();
	if ((ad.flags & AD_FLAG_BS) && !(ad.flags & AD_FLAG_BE))
		abort();
	if (ad.attested && (!INSIDE(ad.aaguid, 16) || !INSIDE(ad.cred_id, ad.cred_id_len) || ad.cred_id_len == 0 ||
	    ad.cred_id_len > 1023 || !INSIDE(ad.pubkey, ad.pubkey_len)))
		abort();
	if (ad.ext && !INSIDE(ad.ext, ad.ext_len))
		abort();
	return 0;
}
