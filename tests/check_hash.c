/* check_hash.c -- SHA-256, Keccak-256 and CRC-32 known answers. */
#include "vectors.h"
#include "../wasm/hash.h"

static void
hexstr(const unsigned char *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void
sha_one(const struct vec *v, void *arg)
{
	unsigned char h[32];
	char hex[65];
	(void)arg;
	hash_sha256(v->f[0], strlen(v->f[0]), h);
	hexstr(h, 32, hex);
	ck_assert_str_eq(hex, v->f[1]);
}

START_TEST(valid_sha256_fips180)
{
	vec_each("tests/vectors/hash/sha256.tsv", sha_one, NULL);
}
END_TEST

static void
keccak_one(const struct vec *v, void *arg)
{
	unsigned char h[32];
	char hex[65];
	(void)arg;
	hash_keccak256(v->f[0], strlen(v->f[0]), h);
	hexstr(h, 32, hex);
	ck_assert_str_eq(hex, v->f[1]);
}

START_TEST(valid_keccak256_known_answers)
{
	vec_each("tests/vectors/hash/keccak256.tsv", keccak_one, NULL);
}
END_TEST

START_TEST(valid_sha256_million_a)
{
	/* FIPS 180-2 Appendix B.3: one million 'a', fed in odd-sized pieces */
	struct sha256 c;
	unsigned char h[32];
	char hex[65], chunk[977];
	size_t left = 1000000;
	memset(chunk, 'a', sizeof chunk);
	hash_sha256_init(&c);
	while (left) {
		size_t n = left < sizeof chunk ? left : sizeof chunk;
		hash_sha256_update(&c, chunk, n);
		left -= n;
	}
	hash_sha256_final(&c, h);
	hexstr(h, 32, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

START_TEST(wrong_keccak_is_not_sha3)
{
	/* SHA3-256("") differs from Keccak-256(""): the padding byte matters */
	unsigned char h[32];
	char hex[65];
	hash_keccak256("", 0, h);
	hexstr(h, 32, hex);
	ck_assert_str_ne(hex, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
}
END_TEST

START_TEST(valid_crc32_check_value)
{
	/* the CRC-32/ISO-HDLC check value of "123456789" */
	ck_assert_uint_eq(hash_crc32(0, (const unsigned char *)"123456789", 9), 0xcbf43926u);
	ck_assert_uint_eq(hash_crc32(0, (const unsigned char *)"", 0), 0u);
}
END_TEST

RUN_SUITE("hash", valid_sha256_fips180, valid_keccak256_known_answers, valid_sha256_million_a,
    wrong_keccak_is_not_sha3, valid_crc32_check_value)
