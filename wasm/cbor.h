/* cbor.h -- a bounded CBOR reader for WebAuthn (RFC 8949). Definite lengths
 * only, minimal ("preferred") heads, depth and item limits, no allocation:
 * strings borrow from the input. */
#ifndef REKEY_CBOR_H
#define REKEY_CBOR_H
#include <stddef.h>
#include <stdint.h>
#include "problem.h"

enum cbor_major { CBOR_UINT, CBOR_NEGINT, CBOR_BYTES, CBOR_TEXT, CBOR_ARRAY, CBOR_MAP, CBOR_TAG, CBOR_SIMPLE };

struct cbor {
	const unsigned char *p, *end;
	unsigned items; /* walked so far, against LIM_CBOR_MAX_ITEMS */
};

struct cbor_item {
	enum cbor_major major;
	uint64_t val;                 /* value, length, count or simple value */
	const unsigned char *str;     /* bytes/text: borrowed from the input */
};

void cbor_init(struct cbor *c, const unsigned char *p, size_t n);
/* Reads one head (and a string's bytes). */
enum problem cbor_read(struct cbor *c, struct cbor_item *it);
/* Skips one whole item, checking everything inside it. */
enum problem cbor_skip(struct cbor *c, unsigned depth);
/* Reads an integer key or value (major 0 or 1) into *v. */
enum problem cbor_read_int(struct cbor *c, int64_t *v);
/* Validates that [p, p+n) is exactly one well-formed item. */
enum problem cbor_check_one(const unsigned char *p, size_t n);

PROBLEM_STRERROR(cbor)

#endif
