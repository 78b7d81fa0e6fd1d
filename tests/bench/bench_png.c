/* bench_png.c -- issue #21: an evidence upload's image work, before and after.
 * Before: the core's check (walk, gray decode, metrics, fingerprint), then a
 * second decode to RGB and stb's own deflate (level 5, no filter). After:
 * image_check_rgb (one decode) and zlib's deflate; the encoder settings are
 * measured (level x row filter x strategy): time and size of the canonical
 * PNG, best of REPS. Usage: bench_png FILE.png [REPS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wundef"
#include <stb_image.h>
#include <stb_image_write.h>
#pragma GCC diagnostic pop
#include "../../wasm/image.h"
#include "../../cgi/base/stb_write.h"
#include "bench_png.h"

static double
now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

struct buf { unsigned char *p; size_t n, cap; };
static void
put(void *ctx, void *data, int size)
{
	struct buf *b = ctx;
	if (b->n + (size_t)size > b->cap) {
		b->cap = (b->n + (size_t)size) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, data, (size_t)size);
	b->n += (size_t)size;
}

static size_t
zlib_png(const struct image_rgb *c, int level, int filter, int strategy)
{
	struct buf b = { 0 };
	stbi_write_png_compression_level = level;
	stbi_write_force_png_filter = filter;
	stb_write_zlib_strategy = strategy;
	if (!stbi_write_png_to_func(put, &b, (int)c->width, (int)c->height, 3, c->px, (int)c->width * 3))
		return 0;
	free(b.p);
	return b.n;
}

int
main(int argc, char **argv)
{
	FILE *f;
	unsigned char *file;
	long len;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	struct image_policy pol;
	double best, t;
	size_t size = 0;

	if (argc < 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: bench_png FILE.png [REPS]\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	file = malloc((size_t)len);
	if (fread(file, 1, (size_t)len, f) != (size_t)len)
		return 1;
	fclose(f);
	image_policy_default(&pol);
	pol.max_bytes = 10485760;
	printf("evidence image work, %s (%ld bytes), best of %d, ms\n", argv[1], len, reps);

	/* before: check (gray decode) + decode RGB + stb deflate level 5, no filter */
	best = 1e9;
	for (int i = 0; i < reps; i++) {
		struct image_result r;
		struct problems ps = { 0, { 0 } };
		int w, h, comp;
		unsigned char *rgb, *png;
		t = now_ms();
		image_check(file, (size_t)len, &pol, &r, &ps);
		rgb = stbi_load_from_memory(file, (int)len, &w, &h, &comp, 3);
		png_stb_deflate(rgb, w, h, 5, 0, &png, &size);
		t = now_ms() - t;
		if (t < best)
			best = t;
		stbi_image_free(rgb);
		free(png);
	}
	printf("  %-62s %8.1f  (canonical %zu bytes)\n", "before: check, second decode, stb deflate level 5, no filter", best, size);

	/* after: one decode */
	{
		struct image_result r, r0;
		struct problems ps = { 0, { 0 } }, ps0 = { 0, { 0 } };
		struct image_rgb c;
		double tcheck = 1e9, tcheck0 = 1e9;
		for (int i = 0; i < reps; i++) {
			t = now_ms();
			image_check(file, (size_t)len, &pol, &r0, &ps0);
			t = now_ms() - t;
			if (t < tcheck0)
				tcheck0 = t;
			ps.n = 0;
			t = now_ms();
			image_check_rgb(file, (size_t)len, &pol, &r, &ps, &c);
			t = now_ms() - t;
			if (t < tcheck)
				tcheck = t;
			if (i + 1 < reps)
				image_rgb_free(&c);
		}
		printf("  %-62s %8.1f\n", "the check alone (gray decode)", tcheck0);
		printf("  %-62s %8.1f  (same verdict: %s)\n", "the check with its RGB kept (one decode)", tcheck,
		    r.fingerprint == r0.fingerprint && r.contrast == r0.contrast && r.sharpness == r0.sharpness && ps.n == ps0.n ? "yes" : "NO");
		static const struct { const char *name; int strategy; } strat[] = { { "default", Z_DEFAULT_STRATEGY }, { "rle", Z_RLE } };
		for (int s = 0; s < 2; s++)
			for (int level = 1; level <= 6; level += (level == 1 ? 2 : 3))
				for (int filter = -1; filter <= 0; filter++) {
					char name[96];
					best = 1e9;
					for (int i = 0; i < reps; i++) {
						t = now_ms();
						size = zlib_png(&c, level, filter, strat[s].strategy);
						t = now_ms() - t;
						if (t < best)
							best = t;
					}
					snprintf(name, sizeof name, "  encode: zlib level %d, %s filter, %s strategy", level,
					    filter < 0 ? "adaptive" : "no", strat[s].name);
					printf("  %-62s %8.1f  (canonical %zu bytes)\n", name, best, size);
				}
		image_rgb_free(&c);
	}
	free(file);
	return 0;
}
