/* fuzz_srv_http.c -- the server's parsers of outside bytes in base/http.c:
 * query strings (http_query_param) and Cookie headers (http_cookie). Never
 * past a buffer; a value found is NUL-terminated, shorter than the buffer,
 * holds no NUL, and is found again the same when asked twice. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../cgi/base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "account", "token", "kind", "coin", "a", "", "rk_session", "rk_device", "rk_reset" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[64], again[64];

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0'; /* the server sees C strings: FastCGI parameters */
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		for (size_t cap = 1; cap <= sizeof out; cap *= 4) {
			int rc = http_query_param(s, names[i], out, cap);
			if (rc < -1 || rc > 1)
				abort();
			if (rc == 1) {
				size_t n = strnlen(out, cap);
				if (n >= cap)
					abort(); /* not terminated inside the buffer */
				if (http_query_param(s, names[i], again, cap) != 1 || strcmp(out, again) != 0)
					abort();
			}
			const char *c = http_cookie(s, names[i], out, cap);
			if (c != NULL && (c != out || strnlen(out, cap) >= cap))
				abort();
		}
	}
	free(s);
	return 0;
}
