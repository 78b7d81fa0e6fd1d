/* fuzz_image.c -- the walk and the decoder under limits: no crash, no accepted
 * image beyond the policy; and image_check_rgb (the server's one decode,
 * issue #21) gives image_check's verdict and metrics on every input, with
 * pixels exactly when there is no problem. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../wasm/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_policy pol;
	struct image_result r, r2;
	struct problems ps = { 0, { 0 } }, ps2 = { 0, { 0 } };
	struct image_rgb rgb;

	image_policy_default(&pol);
	pol.min_side = 1;
	pol.max_pixels = 4000000; /* keeps each run's memory small under ASan */
	image_check(data, size, &pol, &r, &ps);
	if (ps.n == 0 && (!r.decoded || (uint64_t)r.info.width * r.info.height > pol.max_pixels))
		abort();
	image_check_rgb(data, size, &pol, &r2, &ps2, &rgb);
	if (ps2.n != ps.n || memcmp(ps2.code, ps.code, ps.n * sizeof ps.code[0]) != 0 || r2.decoded != r.decoded ||
	    (r.decoded && (r2.mean != r.mean || r2.contrast != r.contrast || r2.sharpness != r.sharpness ||
	    r2.highlight != r.highlight || r2.fingerprint != r.fingerprint)))
		abort();
	if ((ps2.n == 0) != (rgb.px != NULL))
		abort();
	image_rgb_free(&rgb);
	return 0;
}
