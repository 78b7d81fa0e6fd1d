/* cbor.c -- RFC 8949 reader with WebAuthn's restrictions. */
#include "cbor.h"
#include "limits.h"
#include "validate.h"

void
cbor_init(struct cbor *c, const unsigned char *p, size_t n)
{
	c->p = p;
	c->end = p + n;
	c->items = 0;
}

enum problem
cbor_read(struct cbor *c, struct cbor_item *it)
{
	unsigned ai, nb;
	uint64_t v = 0;

	if (c->p >= c->end)
		return PROB_CBOR_TRUNCATED;
	if (++c->items > LIM_CBOR_MAX_ITEMS)
		return PROB_TOO_LARGE;
	it->major = (enum cbor_major)(*c->p >> 5);
	ai = *c->p & 0x1f;
	c->p++;
	if (ai < 24) {
		v = ai;
		nb = 0;
	} else if (ai <= 27) {
		nb = 1u << (ai - 24);
		if ((size_t)(c->end - c->p) < nb)
			return PROB_CBOR_TRUNCATED;
		for (unsigned i = 0; i < nb; i++)
			v = v << 8 | c->p[i];
		c->p += nb;
		/* RFC 8949 §4.2.1: preferred serialization, the shortest head */
		if ((nb == 1 && v < 24) || (nb == 2 && v <= 0xff) || (nb == 4 && v <= 0xffff) ||
		    (nb == 8 && v <= 0xffffffffu)) {
			if (it->major != CBOR_SIMPLE)
				return PROB_CBOR_NONCANONICAL;
		}
	} else if (ai == 31) {
		return PROB_CBOR_INDEFINITE; /* RFC 8949 §3.2: WebAuthn forbids them */
	} else {
		return PROB_CBOR_RESERVED; /* ai 28..30, RFC 8949 §3 */
	}
	it->val = v;
	it->str = NULL;
	if (it->major == CBOR_BYTES || it->major == CBOR_TEXT) {
		if (v > (uint64_t)(c->end - c->p))
			return PROB_CBOR_TRUNCATED;
		it->str = c->p;
		c->p += v;
		if (it->major == CBOR_TEXT && !validate_utf8((const char *)it->str, (size_t)v, 1))
			return PROB_CBOR_UTF8;
	} else if (it->major == CBOR_SIMPLE) {
		/* false, true, null, undefined; floats only as whole items */
		if (ai == 24 && v < 32)
			return PROB_CBOR_NONCANONICAL; /* RFC 8949 §3.3 */
	}
	return PROB_OK;
}

enum problem
cbor_skip(struct cbor *c, unsigned depth)
{
	struct cbor_item it;
	enum problem p;

	if (depth > LIM_CBOR_MAX_DEPTH)
		return PROB_CBOR_DEPTH;
	if ((p = cbor_read(c, &it)) != PROB_OK)
		return p;
	switch (it.major) {
	case CBOR_ARRAY:
		if (it.val > (uint64_t)(c->end - c->p))
			return PROB_CBOR_TRUNCATED; /* each item takes at least one byte */
		for (uint64_t i = 0; i < it.val; i++)
			if ((p = cbor_skip(c, depth + 1)) != PROB_OK)
				return p;
		break;
	case CBOR_MAP:
		if (it.val > (uint64_t)(c->end - c->p) / 2)
			return PROB_CBOR_TRUNCATED;
		for (uint64_t i = 0; i < 2 * it.val; i++)
			if ((p = cbor_skip(c, depth + 1)) != PROB_OK)
				return p;
		break;
	case CBOR_TAG:
		return cbor_skip(c, depth + 1);
	default:
		break;
	}
	return PROB_OK;
}

enum problem
cbor_read_int(struct cbor *c, int64_t *v)
{
	struct cbor_item it;
	enum problem p = cbor_read(c, &it);

	if (p != PROB_OK)
		return p;
	if ((it.major != CBOR_UINT && it.major != CBOR_NEGINT) || it.val > INT64_MAX)
		return PROB_CBOR_TYPE;
	*v = it.major == CBOR_UINT ? (int64_t)it.val : -1 - (int64_t)it.val;
	return PROB_OK;
}

enum problem
cbor_check_one(const unsigned char *p, size_t n)
{
	struct cbor c;
	enum problem pr;

	cbor_init(&c, p, n);
	if ((pr = cbor_skip(&c, 0)) != PROB_OK)
		return pr;
	return c.p == c.end ? PROB_OK : PROB_CBOR_TRAILING;
}
