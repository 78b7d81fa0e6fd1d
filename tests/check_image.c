/* check_image.c -- the screenshot corpus, limits before decode, metrics,
 * fingerprints. Verdicts live in tests/vectors/image/expected.tsv. */
#include "vectors.h"
#include "../wasm/image.h"

static unsigned char *
load(const char *name, size_t *n)
{
	char path[300];
	FILE *f;
	unsigned char *b;
	long len;
	snprintf(path, sizeof path, "tests/vectors/image/corpus/%s", name);
	ck_assert_msg((f = fopen(path, "rb")) != NULL, "missing %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)len + 1);
	*n = fread(b, 1, (size_t)len, f);
	fclose(f);
	return b;
}

static void
names(const struct problems *ps, char *out, size_t outlen)
{
	out[0] = '\0';
	for (unsigned i = 0; i < ps->n; i++) {
		if (i)
			strncat(out, ",", outlen - strlen(out) - 1);
		strncat(out, problem_name((enum problem)ps->code[i]), outlen - strlen(out) - 1);
	}
	if (ps->n == 0)
		snprintf(out, outlen, "ok");
}

static void
corpus_one(const struct vec *v, void *arg)
{
	struct image_result r;
	struct image_policy pol;
	struct problems ps = { 0, { 0 } };
	char got[200];
	size_t n;
	unsigned char *b = load(v->f[0], &n);
	(void)arg;
	image_inspect(b, n, &r, &ps);
	names(&ps, got, sizeof got);
	ck_assert_msg(strcmp(got, v->f[1]) == 0, "inspect %s: %s, want %s", v->f[0], got, v->f[1]);
	memset(&ps, 0, sizeof ps);
	image_policy_default(&pol);
	image_check(b, n, &pol, &r, &ps);
	names(&ps, got, sizeof got);
	ck_assert_msg(strcmp(got, v->f[2]) == 0, "check %s: %s, want %s", v->f[0], got, v->f[2]);
	ck_assert_str_eq(image_format_name(r.info.format) ? image_format_name(r.info.format) : "none", v->f[3]);
	free(b);
}

START_TEST(valid_and_junk_corpus)
{
	vec_each("tests/vectors/image/expected.tsv", corpus_one, NULL);
}
END_TEST

static uint64_t
fp_of(const char *name)
{
	struct image_result r;
	struct image_policy pol;
	struct problems ps = { 0, { 0 } };
	size_t n;
	unsigned char *b = load(name, &n);
	image_policy_default(&pol);
	pol.min_side = 1;
	image_check(b, n, &pol, &r, &ps);
	free(b);
	ck_assert_msg(r.decoded, "%s not decoded", name);
	return r.fingerprint;
}

START_TEST(valid_fingerprint_survives_scaling_and_reencoding)
{
	uint64_t a = fp_of("email-1080x2400.png");
	ck_assert_uint_le(image_distance(a, fp_of("email-1080x2400.jpg")), 4);
	ck_assert_uint_le(image_distance(a, fp_of("email-540x1200-scaled.png")), 4);
	ck_assert_uint_le(image_distance(a, fp_of("email-reencoded.jpg")), 4);
	ck_assert_uint_le(image_distance(fp_of("tx-1080x2400.png"), fp_of("tx-progressive.jpg")), 4);
}
END_TEST

START_TEST(wrong_fingerprint_differs_between_screenshots)
{
	ck_assert_uint_ge(image_distance(fp_of("email-1080x2400.png"), fp_of("tx-1080x2400.png")), 16);
	ck_assert_uint_ge(image_distance(fp_of("email-720x1280.png"), fp_of("tx-720x1280.png")), 16);
	ck_assert_uint_eq(image_distance(0, ~(uint64_t)0), 64);
}
END_TEST

START_TEST(wrong_policy_limits_checked_before_decode)
{
	struct image_result r;
	struct image_policy pol;
	struct problems ps = { 0, { 0 } };
	size_t n;
	unsigned char *b = load("email-720x1280.png", &n);

	image_policy_default(&pol);
	pol.max_bytes = n - 1;
	image_check(b, n, &pol, &r, &ps);
	ck_assert(problems_has(&ps, PROB_IMG_TOO_MANY_BYTES));
	ck_assert_int_eq(r.decoded, 0);

	memset(&ps, 0, sizeof ps);
	image_policy_default(&pol);
	pol.max_pixels = 720u * 1280u - 1;
	image_check(b, n, &pol, &r, &ps);
	ck_assert(problems_has(&ps, PROB_IMG_TOO_MANY_PIXELS));
	ck_assert_int_eq(r.decoded, 0);

	memset(&ps, 0, sizeof ps);
	image_policy_default(&pol);
	pol.max_side = 1000;
	image_check(b, n, &pol, &r, &ps);
	ck_assert(problems_has(&ps, PROB_IMG_TOO_LARGE));
	ck_assert_int_eq(r.decoded, 0);

	memset(&ps, 0, sizeof ps);
	image_policy_default(&pol);
	image_check(b, n, &pol, &r, &ps);
	ck_assert_uint_eq(ps.n, 0);
	ck_assert_int_eq(r.decoded, 1);
	free(b);
}
END_TEST

START_TEST(junk_every_prefix_of_a_png_is_refused)
{
	/* no prefix of a valid file is accepted, and none crashes */
	size_t n;
	unsigned char *b = load("tiny.png", &n);
	for (size_t len = 0; len < n; len += 7) {
		struct image_info info;
		struct problems ps = { 0, { 0 } };
		image_walk(b, len, &info, &ps);
		ck_assert_msg(ps.n > 0, "prefix of %zu bytes accepted", len);
	}
	free(b);
}
END_TEST

START_TEST(junk_every_byte_flip_in_header_is_caught_or_harmless)
{
	size_t n;
	unsigned char *b = load("tiny.png", &n);
	for (size_t i = 8; i < 33; i++) {
		struct image_result r;
		struct problems ps = { 0, { 0 } };
		b[i] ^= 0x5a;
		image_inspect(b, n, &r, &ps);
		ck_assert_msg(ps.n > 0, "flip at %zu accepted", i); /* IHDR bytes are covered by the CRC */
		b[i] ^= 0x5a;
	}
	free(b);
}
END_TEST

START_TEST(junk_every_crasher_is_refused)
{
	/* libspng's habit: every input that ever crashed the decoder stays a must-fail test */
	FILE *ls = popen("ls tests/crashers/image 2>/dev/null", "r");
	char name[256];
	int n = 0;
	ck_assert_ptr_nonnull(ls);
	while (fgets(name, sizeof name, ls)) {
		char path[400];
		struct image_result r;
		struct problems ps = { 0, { 0 } };
		unsigned char *b;
		size_t len;
		FILE *f;
		long sz;
		name[strcspn(name, "\n")] = '\0';
		snprintf(path, sizeof path, "tests/crashers/image/%s", name);
		ck_assert_ptr_nonnull(f = fopen(path, "rb"));
		fseek(f, 0, SEEK_END);
		sz = ftell(f);
		fseek(f, 0, SEEK_SET);
		b = malloc((size_t)sz + 1);
		len = fread(b, 1, (size_t)sz, f);
		fclose(f);
		image_inspect(b, len, &r, &ps);
		ck_assert_msg(ps.n > 0, "crasher %s accepted", name);
		free(b);
		n++;
	}
	pclose(ls);
	ck_assert_int_gt(n, 0);
}
END_TEST

RUN_SUITE("image", junk_every_crasher_is_refused, valid_and_junk_corpus, valid_fingerprint_survives_scaling_and_reencoding,
    wrong_fingerprint_differs_between_screenshots, wrong_policy_limits_checked_before_decode,
    junk_every_prefix_of_a_png_is_refused, junk_every_byte_flip_in_header_is_caught_or_harmless)
