/* fuzz_clientdata.c -- clientDataJSON: fields always NUL-terminated within their buffers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../wasm/webauthn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct clientdata cd;
	struct problems ps = { 0, { 0 } };

	clientdata_check(data, size, "webauthn.get", "Y2hhbGxlbmdl", "https://rekey.test", &cd, &ps);
	if (memchr(cd.type, 0, sizeof cd.type) == NULL || memchr(cd.challenge, 0, sizeof cd.challenge) == NULL ||
	    memchr(cd.origin, 0, sizeof cd.origin) == NULL)
		abort();
	if (ps.n == 0 && (strcmp(cd.type, "webauthn.get") != 0 || strcmp(cd.origin, "https://rekey.test") != 0))
		abort(); /* accepted means matched */
	return 0;
}
