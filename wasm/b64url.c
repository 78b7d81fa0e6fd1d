/* b64url.c -- RFC 4648 §5 base64url, no padding, canonical only. */
#include "b64url.h"
#include "limits.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
b64url_encoded_len(size_t n)
{
	return (n / 3) * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

size_t
b64url_decoded_max(size_t n)
{
	return (n / 4) * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
}

enum problem
b64url_encode(const unsigned char *in, size_t n, char *out, size_t outmax,
    size_t *outlen)
{
	size_t need, i, o = 0;

	if (n > (((size_t)-1) / 4) * 3 - 3)
		return PROB_TOO_LARGE;
	need = b64url_encoded_len(n);
	if (need > outmax)
		return PROB_TOO_LARGE;
	for (i = 0; i + 3 <= n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
		out[o++] = alphabet[v & 63];
	}
	if (n - i == 1) {
		unsigned v = (unsigned)in[i] << 16;
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
	} else if (n - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
	}
	*outlen = o;
	return PROB_OK;
}

static int
sextet(char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '-') return 62;
	if (c == '_') return 63;
	return -1;
}

enum problem
b64url_decode(const char *s, size_t n, unsigned char *out, size_t outmax,
    size_t *outlen)
{
	size_t i, o = 0;
	unsigned acc = 0;
	int bits = 0;

	*outlen = 0;
	if (n > LIM_B64URL_MAX_IN)
		return PROB_TOO_LARGE;
	for (i = 0; i < n; i++) {
		if (s[i] == '=')
			return PROB_B64_PADDING; /* RFC 4648 §3.2: omitted in base64url here */
		if (sextet(s[i]) < 0)
			return PROB_B64_ALPHABET; /* RFC 4648 §3.3: refuse non-alphabet */
	}
	if (n % 4 == 1)
		return PROB_B64_LENGTH;
	if (b64url_decoded_max(n) > outmax)
		return PROB_TOO_LARGE;
	for (i = 0; i < n; i++) {
		acc = (acc << 6 | (unsigned)sextet(s[i])) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	/* RFC 4648 §3.5: pad bits must be zero for a canonical encoding */
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return PROB_B64_TRAILING_BITS;
	*outlen = o;
	return PROB_OK;
}
