/* fuzz_attobj.c -- attestation objects: accepted ones are fully attested and in bounds. */
#include <stdint.h>
#include <stdlib.h>
#include "../../wasm/webauthn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct attobj a;

	if (attobj_parse(data, size, &a) != PROB_OK)
		return 0;
	if (!a.ad.attested || a.fmt_len == 0 || a.auth_data < data || a.auth_data + a.auth_data_len > data + size)
		abort();
	if ((const uint8_t *)a.fmt < data || (const uint8_t *)a.fmt + a.fmt_len > data + size)
		abort();
	return 0;
}
