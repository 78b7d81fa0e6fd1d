/* fuzz_b64url.c -- decode never overflows; whatever decodes re-encodes to the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../wasm/b64url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char out[4096];
	char back[8192];
	size_t n, m;

	if (b64url_decode((const char *)data, size, out, sizeof out, &n) == PROB_OK) {
		if (b64url_encode(out, n, back, sizeof back, &m) != PROB_OK || m != size || memcmp(back, data, size) != 0)
			abort(); /* canonical: one text per byte string */
	}
	if (size <= sizeof out && b64url_encode(data, size, back, sizeof back, &m) == PROB_OK) {
		if (b64url_decode(back, m, out, sizeof out, &n) != PROB_OK || n != size || memcmp(out, data, size) != 0)
			abort();
	}
	return 0;
}
