/* check_ecc.c -- P-256 and Ed25519 public-key validation (wasm/ecc.c): every
 * EC2 and OKP key of tests/vectors/webauthn/cose_keys.tsv (shared with the
 * Node suite, made by make-cose-keys.mjs) gets the reason its line names,
 * and Ed25519 verdicts agree with libsodium's, which rekeyd asks again. */
#include <sodium.h>
#include "vectors.h"
#include "../wasm/ecc.h"

#define COSE_KEYS "tests/vectors/webauthn/cose_keys.tsv"

/* the canonical COSE layouts (CTAP2 key order) every vector uses:
 * {1: 2, 3: -7, -1: 1, -2: h'<x>', -3: h'<y>'} and {1: 1, 3: -8, -1: 6, -2: h'<x>'} */
static const unsigned char es256_head[] = { 0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20 };
static const unsigned char es256_y[] = { 0x22, 0x58, 0x20 };
static const unsigned char eddsa_head[] = { 0xa4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x06, 0x21, 0x58, 0x20 };

struct tally {
	unsigned seen[ECC__MAX];
};

static void
ecc_one(const struct vec *v, void *arg)
{
	struct tally *t = arg;
	unsigned char b[1024];
	size_t n;
	enum ecc_result r;

	if (strcmp(v->f[2], "-") == 0)
		return; /* RSA: check_webauthn.c */
	n = vec_hex(v->f[0], b, sizeof b);
	if (n == 77 && memcmp(b, es256_head, 10) == 0 && memcmp(b + 42, es256_y, 3) == 0)
		r = ecc_p256_check(b + 10, b + 45);
	else if (n == 42 && memcmp(b, eddsa_head, 10) == 0)
		r = ecc_ed25519_check(b + 10);
	else
		ck_abort_msg("line %d: not an EC2 or OKP key in the canonical layout", v->lineno);
	ck_assert_msg(strcmp(ecc_result_name(r), v->f[2]) == 0, "line %d (%s): %s, want %s", v->lineno, v->f[3],
	    ecc_result_name(r), v->f[2]);
	t->seen[r]++;
}

START_TEST(valid_and_junk_points_by_reason)
{
	struct tally t = { { 0 } };

	vec_each(COSE_KEYS, ecc_one, &t);
	/* the vectors reach every verdict, so that removing any one check fails a line */
	for (unsigned i = 0; i < ECC__MAX; i++)
		ck_assert_msg(t.seen[i] > 0, "no vector for %s", ecc_result_name((enum ecc_result)i));
	ck_assert_uint_ge(t.seen[ECC_SMALL_ORDER], 8); /* all eight points of small order */
}
END_TEST

START_TEST(junk_p256_single_bit_flips)
{
	/* SEC 2 v2 §2.4.2: the base point G. One changed bit of x or y leaves
	 * the curve: a y has at most three x, an x two y. */
	static const unsigned char gx[32] = {
		0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
		0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
	};
	static const unsigned char gy[32] = {
		0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
		0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
	};
	unsigned char x[32], y[32];

	ck_assert_int_eq(ecc_p256_check(gx, gy), ECC_OK);
	for (unsigned i = 0; i < 512; i++) {
		memcpy(x, gx, 32);
		memcpy(y, gy, 32);
		(i < 256 ? x : y)[i % 256 / 8] ^= (unsigned char)(1u << (i % 8));
		ck_assert_msg(ecc_p256_check(x, y) != ECC_OK, "bit %u", i);
	}
}
END_TEST

/* one random 32-byte string per (seed, i) */
static void
random32(unsigned char out[32], unsigned seed, unsigned i)
{
	unsigned char s[randombytes_SEEDBYTES] = { 0 };
	s[0] = (unsigned char)seed;
	s[1] = (unsigned char)i;
	s[2] = (unsigned char)(i >> 8);
	randombytes_buf_deterministic(out, 32, s);
}

START_TEST(valid_and_junk_agree_with_libsodium)
{
	/* libsodium's blocklist: y = 2707385501144840649318225287225658788936804267575313519463743609750303402022, order 8 */
	static const unsigned char order8[32] = {
		0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
		0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05,
	};
	unsigned char pk[32], a[32], n[32];
	unsigned seen[ECC__MAX] = { 0 };

	ck_assert_int_ge(sodium_init(), 0);
	/* random strings: about half decode, and of those 7 in 8 are outside the subgroup */
	for (unsigned i = 0; i < 1500; i++) {
		enum ecc_result r;
		random32(pk, 1, i);
		r = ecc_ed25519_check(pk);
		ck_assert_msg((r == ECC_OK) == (crypto_core_ed25519_is_valid_point(pk) == 1), "string %u: %s", i, ecc_result_name(r));
		seen[r]++;
	}
	ck_assert_uint_gt(seen[ECC_OFF_CURVE], 500);
	ck_assert_uint_gt(seen[ECC_SUBGROUP], 500);
	/* keys [s]B, and the same keys plus a point of order 8 */
	for (unsigned i = 0; i < 200; i++) {
		random32(n, 2, i);
		n[31] &= 0x0f; /* below l */
		ck_assert_int_eq(crypto_scalarmult_ed25519_base_noclamp(a, n), 0);
		ck_assert_int_eq(ecc_ed25519_check(a), ECC_OK);
		ck_assert_int_eq(crypto_core_ed25519_is_valid_point(a), 1);
		ck_assert_int_eq(crypto_core_ed25519_add(pk, a, order8), 0);
		ck_assert_int_eq(ecc_ed25519_check(pk), ECC_SUBGROUP);
		ck_assert_int_eq(crypto_core_ed25519_is_valid_point(pk), 0);
	}
}
END_TEST

START_TEST(junk_result_names)
{
	ck_assert_str_eq(ecc_result_name(ECC_OK), "ok");
	ck_assert_str_eq(ecc_result_name(ECC_SUBGROUP), "subgroup");
	ck_assert_str_eq(ecc_result_name(ECC__MAX), "unknown");
}
END_TEST

RUN_SUITE("ecc", valid_and_junk_points_by_reason, junk_p256_single_bit_flips, valid_and_junk_agree_with_libsodium,
    junk_result_names)
