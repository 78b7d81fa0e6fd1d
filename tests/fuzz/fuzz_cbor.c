/* fuzz_cbor.c -- the bounded reader never reads past the input or loops. */
#include <stdint.h>
#include <stdlib.h>
#include "../../wasm/cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbor c;
	enum problem p = cbor_check_one(data, size);

	cbor_init(&c, data, size);
	if (cbor_skip(&c, 0) == PROB_OK) {
		if (c.p < data || c.p > data + size)
			abort();
		if ((c.p == data + size) != (p == PROB_OK))
			abort(); /* check_one is skip + no trailing bytes */
	}
	return 0;
}
