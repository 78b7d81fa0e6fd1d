/* check_image.c -- the screenshot corpus, limits before decode, metrics,
 * fingerprints, camera frames. Verdicts live in tests/vectors/image/expected.tsv
 * (screenshots) and frames.tsv (face frames). */
#include "vectors.h"
#include "../wasm/image.h"
#include "../wasm/limits.h"
/* a PNG writer for the synthetic pictures (a private copy: libcore has only
 * the reader; its unused static writers are declared at the end of the file,
 * outside any push) */
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wcast-qual"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wundef"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#pragma GCC diagnostic pop

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

/* ---- camera frames: synthetic 320x240 RGBA made here ---- */
enum { FW = 320, FH = 240 };

/* sensor noise, as a real camera has: -2..+2 on every pixel, the same
 * sequence every time (tests/node/frames.mjs makes the same), so one scene
 * gives one frame */
static void
sensor_noise(unsigned char *f)
{
	uint32_t seed = 12345;
	for (size_t i = 0; i < (size_t)FW * FH; i++) {
		unsigned char *p = f + 4 * i;
		int v;
		seed = seed * 1103515245u + 12345u;
		v = p[0] + (int)((seed >> 16) % 5) - 2;
		p[0] = p[1] = p[2] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
}

/* a "face": a 24-pixel checkerboard in an ellipse in the middle, on an even
 * background, without sensor noise (scene) or with it (frame) */
static unsigned char *
scene(unsigned bg, unsigned lo, unsigned hi, int shift_x, double scale)
{
	unsigned char *f = malloc((size_t)FW * FH * 4);
	for (int y = 0; y < FH; y++)
		for (int x = 0; x < FW; x++) {
			double dx = (x - FW / 2.0 - shift_x) / (FW * 0.18), dy = (y - FH / 2.0) / (FH * 0.3);
			unsigned v = bg;
			if (dx * dx + dy * dy <= 1)
				v = (((x - shift_x + 1000) / 24 + y / 24) & 1) ? hi : lo;
			v = (unsigned)(v * scale);
			unsigned char *p = f + 4 * ((size_t)y * FW + (size_t)x);
			p[0] = p[1] = p[2] = (unsigned char)(v > 255 ? 255 : v);
			p[3] = 255;
		}
	return f;
}

static unsigned char *
frame(unsigned bg, unsigned lo, unsigned hi, int shift_x, double scale)
{
	unsigned char *f = scene(bg, lo, hi, shift_x, scale);
	sensor_noise(f);
	return f;
}

static void
box_blur(unsigned char *f, int r)
{
	unsigned char *t = malloc((size_t)FW * FH * 4);
	for (int pass = 0; pass < 2; pass++) {
		memcpy(t, f, (size_t)FW * FH * 4);
		for (int y = 0; y < FH; y++)
			for (int x = 0; x < FW; x++) {
				unsigned s = 0, n = 0;
				for (int k = -r; k <= r; k++) {
					int xx = pass ? x : x + k, yy = pass ? y + k : y;
					if (xx < 0 || yy < 0 || xx >= FW || yy >= FH)
						continue;
					s += t[4 * ((size_t)yy * FW + (size_t)xx)];
					n++;
				}
				unsigned char *p = f + 4 * ((size_t)y * FW + (size_t)x);
				p[0] = p[1] = p[2] = (unsigned char)(s / n);
			}
	}
	free(t);
}

static void
frame_verdict(const unsigned char *f, const unsigned char *prev, const char *want)
{
	struct frame_metrics m;
	struct problems ps = { 0, { 0 } };
	char got[200];
	image_frame_check(f, FW, FH, prev, &m, &ps);
	names(&ps, got, sizeof got);
	ck_assert_msg(strcmp(got, want) == 0, "frame: %s, want %s (mean %.1f centre %.1f side %.1f energy %.2f/%.2f sharp %.0f motion %.1f)",
	    got, want, m.mean, m.centre_mean, m.side_mean, m.centre_energy, m.side_energy, m.sharpness, m.motion);
}

START_TEST(valid_frame_well_lit_centred_sharp_still)
{
	unsigned char *f = frame(120, 70, 200, 0, 1), *g = frame(120, 70, 200, 0, 1);
	frame_verdict(f, NULL, "ok");
	frame_verdict(f, g, "ok");
	free(f);
	free(g);
}
END_TEST

START_TEST(wrong_frame_each_tip)
{
	unsigned char *dark = frame(120, 70, 200, 0, 0.3), *back = frame(245, 60, 140, 0, 1), *side = frame(120, 70, 200, -120, 1);
	unsigned char *blur = scene(120, 70, 200, 0, 1), *a = frame(120, 70, 200, 0, 1), *moved = frame(120, 70, 200, 12, 1);
	box_blur(blur, 6); /* the lens blurs, then the sensor adds its noise */
	sensor_noise(blur);
	frame_verdict(dark, NULL, "frame_too_dark");
	frame_verdict(back, NULL, "frame_backlit");
	frame_verdict(side, NULL, "frame_off_centre");
	frame_verdict(blur, NULL, "frame_blurred");
	frame_verdict(moved, a, "frame_moving");
	free(dark);
	free(back);
	free(side);
	free(blur);
	free(a);
	free(moved);
}
END_TEST

START_TEST(junk_frame_sizes_and_empty_frames)
{
	struct frame_metrics m;
	struct problems ps = { 0, { 0 } };
	unsigned char *even = calloc((size_t)FW * FH, 4);
	image_frame_check(even, 32, 32, NULL, &m, &ps);
	ck_assert_int_eq(ps.n, 1);
	ck_assert_int_eq(ps.code[0], PROB_IMG_TOO_SMALL);
	memset(&ps, 0, sizeof ps);
	image_frame_check(even, 5000, 64, NULL, &m, &ps);
	ck_assert_int_eq(ps.code[0], PROB_IMG_TOO_LARGE);
	memset(&ps, 0, sizeof ps);
	image_frame_check(NULL, FW, FH, NULL, &m, &ps);
	ck_assert_int_eq(ps.code[0], PROB_IMG_TOO_SMALL);
	/* an even grey frame (a covered camera, a wall): nothing in the middle */
	memset(even, 128, (size_t)FW * FH * 4);
	sensor_noise(even);
	frame_verdict(even, NULL, "frame_off_centre");
	free(even);
}
END_TEST

/* ---- not a camera frame (issue #14): screenshots as face frames ---- */

START_TEST(wrong_frame_without_sensor_noise_is_no_camera_frame)
{
	struct frame_metrics m;
	struct problems ps = { 0, { 0 } };
	unsigned char *flat = scene(120, 70, 200, 0, 1), *noisy = frame(120, 70, 200, 0, 1), *even = malloc((size_t)FW * FH * 4);

	/* the very scene that passes with noise: the face box is flat colour */
	frame_verdict(flat, NULL, "frame_not_camera");
	image_frame_check(flat, FW, FH, NULL, &m, &ps);
	ck_assert_double_gt(m.flat, 0.9);
	memset(&ps, 0, sizeof ps);
	image_frame_check(noisy, FW, FH, NULL, &m, &ps);
	ck_assert_uint_eq(ps.n, 0);
	ck_assert_double_lt(m.flat, 0.1);
	/* an even grey picture: no sensor noise either */
	memset(even, 128, (size_t)FW * FH * 4);
	frame_verdict(even, NULL, "frame_not_camera");
	/* dark and backlit keep their tips: clipped black or white is flat too */
	free(flat);
	flat = scene(120, 70, 200, 0, 0.3);
	frame_verdict(flat, NULL, "frame_too_dark");
	free(flat);
	flat = scene(245, 60, 140, 0, 1);
	frame_verdict(flat, NULL, "frame_backlit");
	free(flat);
	free(noisy);
	free(even);
}
END_TEST

/* the same noisy even frame in one shape or another, through the gray entry */
static const char *
shape_verdict(unsigned w, unsigned h)
{
	struct image_gray g = { w, h, malloc((size_t)w * h) };
	struct frame_metrics m;
	struct problems ps = { 0, { 0 } };
	uint32_t seed = 1;
	for (size_t i = 0; i < (size_t)w * h; i++) {
		seed = seed * 1103515245u + 12345u;
		g.px[i] = (unsigned char)(126 + (seed >> 16) % 5);
	}
	image_frame_check_gray(&g, NULL, &m, &ps);
	free(g.px);
	return ps.n ? problem_name((enum problem)ps.code[0]) : "ok";
}

START_TEST(wrong_frame_in_a_phone_screen_shape)
{
	/* phone screens 20:9, 19.5:9, 18.5:9, either way up: no camera's */
	ck_assert_str_eq(shape_verdict(108, 240), "frame_not_camera");
	ck_assert_str_eq(shape_verdict(240, 108), "frame_not_camera");
	ck_assert_str_eq(shape_verdict(117, 253), "frame_not_camera");
	ck_assert_str_eq(shape_verdict(144, 296), "frame_not_camera");
	/* cameras: 4:3, 3:4, 16:9, 1:1, and 2:1 at the limit -- these get the
	 * even frame's own tip (nothing in the middle) */
	ck_assert_str_eq(shape_verdict(320, 240), "frame_off_centre");
	ck_assert_str_eq(shape_verdict(240, 320), "frame_off_centre");
	ck_assert_str_eq(shape_verdict(320, 180), "frame_off_centre");
	ck_assert_str_eq(shape_verdict(200, 200), "frame_off_centre");
	ck_assert_str_eq(shape_verdict(256, 128), "frame_off_centre");
}
END_TEST

static void
frame_vector(const struct vec *v, void *arg)
{
	struct image_gray g;
	struct frame_metrics m;
	struct problems ps = { 0, { 0 } };
	char got[200];
	size_t n;
	unsigned char *b = load(v->f[0], &n);
	(void)arg;
	ck_assert_msg(image_decode_gray(b, n, LIM_IMG_HARD_MAX_PIXELS, &g) == 0, "%s not decoded", v->f[0]);
	image_frame_check_gray(&g, NULL, &m, &ps);
	names(&ps, got, sizeof got);
	ck_assert_msg(strcmp(got, v->f[1]) == 0, "frame %s: %s, want %s (flat %.3f mean %.1f)", v->f[0], got, v->f[1], m.flat, m.mean);
	image_gray_free(&g);
	free(b);
}

START_TEST(wrong_screenshots_as_face_frames_vectors)
{
	vec_each("tests/vectors/image/frames.tsv", frame_vector, NULL);
}
END_TEST

/* ---- declared type against content (issue #14) ---- */

START_TEST(valid_format_by_magic_bytes_and_by_media_type)
{
	size_t n;
	unsigned char *png = load("wrong-extension.jpg", &n), *jpg;
	ck_assert_int_eq(image_sniff(png, n), IMAGE_PNG); /* a PNG under a .jpg name */
	free(png);
	jpg = load("tx-progressive.jpg", &n);
	ck_assert_int_eq(image_sniff(jpg, n), IMAGE_JPEG);
	free(jpg);
	ck_assert_int_eq(image_format_of_type("image/png"), IMAGE_PNG);
	ck_assert_int_eq(image_format_of_type("image/jpeg"), IMAGE_JPEG);
}
END_TEST

START_TEST(junk_format_by_magic_bytes_and_by_media_type)
{
	static const unsigned char html[] = "<html>", png7[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a }, soi[] = { 0xff, 0xd8 };
	static const unsigned char gif[] = "GIF89a", webp[] = "RIFF\0\0\0\0WEBP";
	ck_assert_int_eq(image_sniff(html, sizeof html - 1), IMAGE_NONE);
	ck_assert_int_eq(image_sniff(png7, sizeof png7), IMAGE_NONE); /* one byte short of the signature */
	ck_assert_int_eq(image_sniff(soi, sizeof soi), IMAGE_NONE);
	ck_assert_int_eq(image_sniff(gif, sizeof gif - 1), IMAGE_NONE);
	ck_assert_int_eq(image_sniff(webp, sizeof webp - 1), IMAGE_NONE);
	ck_assert_int_eq(image_sniff(html, 0), IMAGE_NONE);
	ck_assert_int_eq(image_format_of_type(NULL), IMAGE_NONE);
	ck_assert_int_eq(image_format_of_type("image/jpg"), IMAGE_NONE);
	ck_assert_int_eq(image_format_of_type("image/PNG"), IMAGE_NONE);
	ck_assert_int_eq(image_format_of_type("image/png; x=1"), IMAGE_NONE);
	ck_assert_int_eq(image_format_of_type("image/webp"), IMAGE_NONE);
	ck_assert_int_eq(image_format_of_type(""), IMAGE_NONE);
}
END_TEST

/* ---- issue #21: image_measure's fast paths against the plain loops ---- */

/* image_measure as it was before its fast paths (eight equal pixels at a
 * time, striped histograms): the oracle its results must equal, bit for bit */
static double
ref_area_mean(const struct image_gray *g, unsigned x0, unsigned x1, unsigned y0, unsigned y1)
{
	uint64_t sum = 0;
	if (x1 <= x0) x1 = x0 + 1;
	if (y1 <= y0) y1 = y0 + 1;
	for (unsigned y = y0; y < y1; y++) {
		const unsigned char *row = g->px + (size_t)y * g->width;
		for (unsigned x = x0; x < x1; x++)
			sum += row[x];
	}
	return (double)sum / ((double)(x1 - x0) * (y1 - y0));
}

static void
ref_measure(const struct image_gray *g, struct image_result *res)
{
	const size_t npx = (size_t)g->width * g->height;
	uint64_t sum = 0, sum2 = 0, hist[1024] = { 0 }, lum[256] = { 0 }, edges = 0, acc = 0;
	double m, cell[8][9];
	uint64_t fp = 0;
	unsigned x, y;

	for (size_t i = 0; i < npx; i++) {
		sum += g->px[i];
		sum2 += (uint64_t)g->px[i] * g->px[i];
		lum[g->px[i]]++;
	}
	res->highlight = 255;
	for (unsigned i = 0; i < 256; i++) {
		acc += lum[i];
		if (acc >= npx - npx / 100) {
			res->highlight = i;
			break;
		}
	}
	acc = 0;
	m = (double)sum / (double)npx;
	res->mean = m;
	res->contrast = (double)sum2 / (double)npx - m * m;
	res->contrast = res->contrast > 0 ? __builtin_sqrt(res->contrast) : 0;
	for (y = 1; y + 1 < g->height; y++) {
		const unsigned char *r = g->px + (size_t)y * g->width;
		const unsigned char *up = r - g->width, *dn = r + g->width;
		for (x = 1; x + 1 < g->width; x++) {
			int lap = 4 * r[x] - r[x - 1] - r[x + 1] - up[x] - dn[x];
			unsigned a = (unsigned)(lap < 0 ? -lap : lap);
			if (a >= 8) {
				hist[a > 1023 ? 1023 : a]++;
				edges++;
			}
		}
	}
	res->sharpness = 0;
	if (edges > 0) {
		uint64_t target = edges - edges / 100;
		for (unsigned i = 0; i < 1024; i++) {
			acc += hist[i];
			if (acc >= target) {
				res->sharpness = i;
				break;
			}
		}
	}
	for (y = 0; y < 8; y++)
		for (x = 0; x < 9; x++)
			cell[y][x] = ref_area_mean(g, (unsigned)((uint64_t)x * g->width / 9),
			    (unsigned)((uint64_t)(x + 1) * g->width / 9),
			    (unsigned)((uint64_t)y * g->height / 8), (unsigned)((uint64_t)(y + 1) * g->height / 8));
	for (y = 0; y < 8; y++)
		for (x = 0; x < 8; x++)
			fp = fp << 1 | (cell[y][x] < cell[y][x + 1]);
	res->fingerprint = fp;
}

/* 1: image_measure and the oracle agree on every field */
static int
measure_same(const struct image_gray *g, const char *what)
{
	struct image_result a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	image_measure(g, &a);
	ref_measure(g, &b);
	ck_assert_msg(a.mean == b.mean && a.contrast == b.contrast && a.sharpness == b.sharpness &&
	    a.highlight == b.highlight && a.fingerprint == b.fingerprint,
	    "%s (%ux%u): mean %g/%g contrast %g/%g sharpness %g/%g highlight %g/%g fingerprint %016llx/%016llx", what,
	    g->width, g->height, a.mean, b.mean, a.contrast, b.contrast, a.sharpness, b.sharpness, a.highlight, b.highlight,
	    (unsigned long long)a.fingerprint, (unsigned long long)b.fingerprint);
	return b.sharpness > 0;
}

START_TEST(valid_measure_equals_the_plain_loops_on_the_corpus)
{
	static const char *const files[] = { "email-1080x2400.png", "tx-1080x2400.png", "tx-720x1280.png", "tx-gray.png",
		"tx-dark.png", "email-blurred.png", "email-dark.png", "screen-640x480.jpg", "blank-white.png", "blank-black.jpg",
		"camera-640x480.png", "camera-640x480-noiseless.png", "tiny.png", "email-540x1200-scaled.png" };
	unsigned measured = 0;

	for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
		size_t n;
		unsigned char *b = load(files[k], &n);
		struct image_gray g;
		if (image_decode_gray(b, n, LIM_IMG_HARD_MAX_PIXELS, &g) == 0) {
			measure_same(&g, files[k]);
			image_gray_free(&g);
			measured++;
		}
		free(b);
	}
	ck_assert_uint_ge(measured, 12);
}
END_TEST

/* flat pictures with one pixel changed, at every position of every size
 * from 1x1 to 19x5: the eight-at-a-time skip must see a difference in its
 * own row, the row above or below, and at either end of its window */
START_TEST(wrong_measure_one_pixel_off_a_flat_picture_is_an_edge)
{
	unsigned char px[19 * 5];
	unsigned edges_seen = 0, in_reach = 0;

	for (unsigned w = 1; w <= 19; w++)
		for (unsigned h = 1; h <= 5; h++) {
			struct image_gray g = { w, h, px };
			char what[64];
			memset(px, 200, sizeof px);
			snprintf(what, sizeof what, "flat %ux%u", w, h);
			ck_assert_int_eq(measure_same(&g, what), 0);
			for (unsigned i = 0; i < w * h; i++) {
				memset(px, 200, sizeof px);
				px[i] = 20;
				snprintf(what, sizeof what, "flat %ux%u, pixel %u dark", w, h, i);
				edges_seen += (unsigned)measure_same(&g, what);
				/* an edge when an interior pixel is it or its neighbour
				 * (a step of 180: |Laplacian| 720 on it, 180 beside it) */
				for (unsigned y = 1; y + 1 < h; y++)
					for (unsigned x = 1; x + 1 < w; x++)
						if ((x == i % w && (y == i / w || y == i / w + 1 || y + 1 == i / w)) ||
						    (y == i / w && (x == i % w + 1 || x + 1 == i % w))) {
							in_reach++;
							y = h;
							break;
						}
			}
		}
	ck_assert_uint_eq(edges_seen, in_reach);
	ck_assert_uint_gt(in_reach, 1000);
}
END_TEST

/* noise, runs, stripes, and equal words that are not flat (a pattern that
 * repeats every eight pixels), on sizes either side of the eight-pixel step */
START_TEST(wrong_measure_patterns_that_look_flat_in_words)
{
	static const unsigned sizes[][2] = { { 7, 7 }, { 8, 8 }, { 9, 9 }, { 10, 3 }, { 16, 16 }, { 17, 17 }, { 33, 9 },
		{ 100, 64 }, { 257, 31 } };
	uint32_t seed = 12345;

	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		unsigned w = sizes[k][0], h = sizes[k][1];
		unsigned char *px = malloc((size_t)w * h);
		struct image_gray g = { w, h, px };
		ck_assert_ptr_nonnull(px);
		for (int kind = 0; kind < 6; kind++) {
			char what[64];
			for (unsigned i = 0; i < w * h; i++) {
				unsigned x = i % w, y = i / w;
				seed = seed * 1103515245u + 12345u;
				switch (kind) {
				case 0: px[i] = (unsigned char)(seed >> 24); break;              /* noise */
				case 1: px[i] = (unsigned char)(x / 8 % 2 ? 250 : 10); break;    /* runs of eight */
				case 2: px[i] = (unsigned char)(x % 8 == 0 ? 0 : 255); break;    /* a column every eight */
				case 3: px[i] = (unsigned char)(y % 2 ? 40 : 220); break;        /* rows that alternate */
				case 4: px[i] = (unsigned char)((seed >> 28) == 0 ? seed >> 16 : 128); break; /* sparse specks */
				default: px[i] = (unsigned char)(x + y); break;                 /* a ramp */
				}
			}
			snprintf(what, sizeof what, "pattern %d", kind);
			measure_same(&g, what);
		}
		free(px);
	}
}
END_TEST

struct pngbuf { unsigned char p[1 << 16]; size_t n; };
static void
png_put(void *ctx, void *data, int size)
{
	struct pngbuf *b = ctx;
	ck_assert_uint_le(b->n + (size_t)size, sizeof b->p);
	memcpy(b->p + b->n, data, (size_t)size);
	b->n += (size_t)size;
}

/* issue #21: image_check_rgb makes one gray for eight equal pixels; a flat
 * picture with one pixel changed in one channel, at every position of its
 * first 17 pixels and its last (sizes whose pixel count is no multiple of
 * eight), gives image_check's metrics: the changed pixel keeps its own gray */
START_TEST(wrong_check_rgb_one_pixel_off_a_run_keeps_its_gray)
{
	static const unsigned sizes[][2] = { { 40, 8 }, { 13, 7 }, { 9, 9 } };
	struct image_policy pol;
	unsigned cases = 0;

	image_policy_default(&pol);
	pol.min_side = 1;
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		unsigned w = sizes[k][0], h = sizes[k][1], npx = w * h;
		unsigned char px[40 * 9 * 3];
		for (unsigned at = 0; at < npx; at = at == 16 ? npx - 1 : at + 1)
			for (unsigned ch = 0; ch < 3; ch++) {
				static struct pngbuf png;
				struct image_result r0, r1;
				struct problems p0 = { 0, { 0 } }, p1 = { 0, { 0 } };
				struct image_rgb c;
				memset(px, 230, sizeof px);
				px[3 * at + ch] = 10;
				png.n = 0;
				ck_assert(stbi_write_png_to_func(png_put, &png, (int)w, (int)h, 3, px, (int)w * 3) != 0);
				image_check(png.p, png.n, &pol, &r0, &p0);
				image_check_rgb(png.p, png.n, &pol, &r1, &p1, &c);
				ck_assert_msg(r0.decoded && r1.decoded, "%ux%u: decoded", w, h);
				ck_assert_msg(r0.mean == r1.mean && r0.contrast == r1.contrast && r0.sharpness == r1.sharpness &&
				    r0.highlight == r1.highlight && r0.fingerprint == r1.fingerprint,
				    "%ux%u, pixel %u channel %u: mean %g vs %g", w, h, at, ch, r0.mean, r1.mean);
				ck_assert_msg(r1.mean < 230, "%ux%u, pixel %u channel %u: the change is seen", w, h, at, ch);
				image_rgb_free(&c);
				cases++;
			}
	}
	ck_assert_uint_eq(cases, 3 * 3 * 18);
}
END_TEST

/* issue #21: image_check_rgb decodes once and hands the RGB on; its verdict,
 * metrics and fingerprint are image_check's for every corpus file (8-bit
 * PNGs through their RGB, JPEGs and the rest decoded twice), and its pixels
 * are the image's */
START_TEST(valid_check_rgb_is_check_with_its_pixels)
{
	/* one large screenshot, the rest small: within Check's timeout on a loaded machine */
	static const char *const files[] = { "email-1080x2400.png", "tx-720x1280.png", "tx-gray.png", "screen-640x480.png",
		"screen-640x480.jpg", "blank-white.png", "camera-640x480.png", "bad-crc.png", "bad-huffman.jpg", "bad-zlib.png" };
	struct image_policy pol;
	unsigned rgb_seen = 0;

	image_policy_default(&pol);
	for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
		size_t n;
		unsigned char *b = load(files[k], &n);
		struct image_result r0, r1;
		struct problems p0 = { 0, { 0 } }, p1 = { 0, { 0 } };
		struct image_rgb c;
		char n0[200], n1[200];
		image_check(b, n, &pol, &r0, &p0);
		image_check_rgb(b, n, &pol, &r1, &p1, &c);
		names(&p0, n0, sizeof n0);
		names(&p1, n1, sizeof n1);
		ck_assert_msg(strcmp(n0, n1) == 0, "%s: %s vs %s", files[k], n0, n1);
		ck_assert_msg(r0.fingerprint == r1.fingerprint && r0.contrast == r1.contrast && r0.sharpness == r1.sharpness &&
		    r0.highlight == r1.highlight && r0.mean == r1.mean && r0.decoded == r1.decoded, "%s: the same metrics", files[k]);
		if (p1.n == 0) {
			ck_assert_ptr_nonnull(c.px);
			ck_assert_uint_eq(c.width, r1.info.width);
			ck_assert_uint_eq(c.height, r1.info.height);
			rgb_seen++;
		} else {
			ck_assert_msg(c.px == NULL, "%s: no pixels with a problem", files[k]);
		}
		image_rgb_free(&c);
		free(b);
	}
	ck_assert_uint_ge(rgb_seen, 4);
}
END_TEST

RUN_SUITE("image", wrong_check_rgb_one_pixel_off_a_run_keeps_its_gray, valid_measure_equals_the_plain_loops_on_the_corpus, wrong_measure_one_pixel_off_a_flat_picture_is_an_edge,
    wrong_measure_patterns_that_look_flat_in_words, valid_check_rgb_is_check_with_its_pixels, junk_every_crasher_is_refused, valid_and_junk_corpus, valid_fingerprint_survives_scaling_and_reencoding,
    wrong_fingerprint_differs_between_screenshots, wrong_policy_limits_checked_before_decode,
    junk_every_prefix_of_a_png_is_refused, junk_every_byte_flip_in_header_is_caught_or_harmless,
    valid_frame_well_lit_centred_sharp_still, wrong_frame_each_tip, junk_frame_sizes_and_empty_frames,
    wrong_frame_without_sensor_noise_is_no_camera_frame, wrong_frame_in_a_phone_screen_shape, wrong_screenshots_as_face_frames_vectors,
    valid_format_by_magic_bytes_and_by_media_type, junk_format_by_magic_bytes_and_by_media_type)
