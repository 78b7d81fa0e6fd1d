/* check_b64url.c -- RFC 4648 §5 base64url. */
#include "vectors.h"
#include "../wasm/b64url.h"

static void
valid_one(const struct vec *v, void *arg)
{
	unsigned char bin[64], dec[64];
	char enc[128];
	size_t n, en, dn;
	(void)arg;
	n = vec_hex(v->f[0], bin, sizeof bin);
	ck_assert_int_eq(b64url_encode(bin, n, enc, sizeof enc, &en), PROB_OK);
	enc[en] = '\0';
	ck_assert_str_eq(enc, v->nf > 1 ? v->f[1] : "");
	ck_assert_int_eq(b64url_decode(enc, en, dec, sizeof dec, &dn), PROB_OK);
	ck_assert_uint_eq(dn, n);
	ck_assert_mem_eq(dec, bin, n);
}

START_TEST(valid_rfc4648_vectors)
{
	vec_each("tests/vectors/b64url/valid.tsv", valid_one, NULL);
}
END_TEST

static void
invalid_one(const struct vec *v, void *arg)
{
	unsigned char out[64];
	size_t n;
	(void)arg;
	ck_assert_str_eq(problem_name(b64url_decode(v->f[0], strlen(v->f[0]), out, sizeof out, &n)), v->f[1]);
}

START_TEST(junk_refused_with_reason)
{
	vec_each("tests/vectors/b64url/invalid.tsv", invalid_one, NULL);
}
END_TEST

START_TEST(wrong_output_capacity_refused)
{
	unsigned char out[2];
	char enc[3];
	size_t n;
	ck_assert_int_eq(b64url_decode("Zm9v", 4, out, sizeof out, &n), PROB_TOO_LARGE);
	ck_assert_int_eq(b64url_encode((const unsigned char *)"foo", 3, enc, sizeof enc, &n), PROB_TOO_LARGE);
}
END_TEST

START_TEST(junk_nul_inside_refused)
{
	unsigned char out[8];
	size_t n;
	ck_assert_int_eq(b64url_decode("Zm\0v", 4, out, sizeof out, &n), PROB_B64_ALPHABET);
}
END_TEST

START_TEST(valid_roundtrip_all_lengths)
{
	unsigned char in[300], dec[300];
	char enc[500];
	for (size_t len = 0; len < sizeof in; len++) {
		size_t en, dn;
		for (size_t i = 0; i < len; i++)
			in[i] = (unsigned char)(i * 37 + len);
		ck_assert_int_eq(b64url_encode(in, len, enc, sizeof enc, &en), PROB_OK);
		ck_assert_uint_eq(en, b64url_encoded_len(len));
		ck_assert_int_eq(b64url_decode(enc, en, dec, sizeof dec, &dn), PROB_OK);
		ck_assert_uint_eq(dn, len);
		ck_assert_mem_eq(dec, in, len);
	}
}
END_TEST

START_TEST(valid_strerror_names_the_problem)
{
	ck_assert_str_eq(b64url_strerror(PROB_B64_PADDING), "Padding ('=') is not allowed in base64url here.");
	ck_assert_str_eq(b64url_strerror((enum problem)9999), problem_message(PROB_INTERNAL));
	ck_assert_int_eq(problem_lookup("b64url_padding"), PROB_B64_PADDING);
	ck_assert_int_eq(problem_lookup("no_such_code"), PROB__MAX);
}
END_TEST

RUN_SUITE("b64url", valid_strerror_names_the_problem, valid_rfc4648_vectors, junk_refused_with_reason, wrong_output_capacity_refused,
    junk_nul_inside_refused, valid_roundtrip_all_lengths)
