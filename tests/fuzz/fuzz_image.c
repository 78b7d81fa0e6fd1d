/* fuzz_image.c -- the walk and the decoder under limits: no crash, no accepted
 * image beyond the policy. */
#include <stdint.h>
#include <stdlib.h>
#include "../../wasm/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_policy pol;
	struct image_result r;
	struct problems ps = { 0, { 0 } };

	image_policy_default(&pol);
	pol.min_side = 1;
	pol.max_pixels = 4000000; /* keeps each run's memory small under ASan */
	image_check(data, size, &pol, &r, &ps);
	if (ps.n == 0 && (!r.decoded || (uint64_t)r.info.width * r.info.height > pol.max_pixels))
		abort();
	return 0;
}
