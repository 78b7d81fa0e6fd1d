/* b64url.h -- base64url without padding, RFC 4648 §5, strict. */
#ifndef REKEY_B64URL_H
#define REKEY_B64URL_H
#include <stddef.h>
#include "problem.h"

/* Length of the encoding of n bytes (no padding, no NUL). */
size_t b64url_encoded_len(size_t n);
/* Upper bound of the decoded length of n characters. */
size_t b64url_decoded_max(size_t n);

/* Writes the encoding of in[0..n) to out (capacity outmax, no NUL added).
 * Returns PROB_OK or PROB_TOO_LARGE; *outlen receives the length. */
enum problem b64url_encode(const unsigned char *in, size_t n, char *out,
    size_t outmax, size_t *outlen);

/* Decodes s[0..n) strictly: only A-Z a-z 0-9 - _, no '=', no whitespace,
 * length mod 4 != 1, unused trailing bits zero. */
enum problem b64url_decode(const char *s, size_t n, unsigned char *out,
    size_t outmax, size_t *outlen);

PROBLEM_STRERROR(b64url)

#endif
