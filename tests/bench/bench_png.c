/* bench_png.c -- issue #21: an evidence upload's image work, before and after.
 * Before: the core's check (walk, gray decode, metrics, fingerprint), then a
 * second decode to RGB and stb's own deflate (level 5, no filter). Then:
 * image_check_rgb (one decode), where its time goes (stb's inflate of the
 * IDAT stream against libdeflate's, the metrics), and the encoder settings
 * (zlib's deflate and libdeflate's, level x row filter): time and size of
 * the canonical PNG, best of REPS, and whether it decodes to the checked
 * pixels. Usage: bench_png FILE.png [REPS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libdeflate.h>
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

/* what the vault writes (cgi/store/vault.c: vault_png) */
#define VAULT_LEVEL 2

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

/* base/stb_write.c's encoder (libdeflate) at a level and row filter */
static int
png_libdeflate(const struct image_rgb *c, int level, int filter, unsigned char **out, size_t *n)
{
	struct buf b = { 0 };
	stbi_write_png_compression_level = level;
	stbi_write_force_png_filter = filter;
	if (!stbi_write_png_to_func(put, &b, (int)c->width, (int)c->height, 3, c->px, (int)c->width * 3)) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	*n = b.n;
	return 0;
}

/* 1: the PNG decodes to exactly the checked pixels */
static int
same_pixels(const unsigned char *png, size_t n, const struct image_rgb *c)
{
	int w, h, comp, same;
	unsigned char *d = stbi_load_from_memory(png, (int)n, &w, &h, &comp, 3);
	same = d != NULL && (unsigned)w == c->width && (unsigned)h == c->height &&
	    memcmp(d, c->px, (size_t)w * (size_t)h * 3) == 0;
	stbi_image_free(d);
	return same;
}

/* The IDAT chunks' data, concatenated: the zlib stream (PNG 11.2.4), malloc'd */
static unsigned char *
idat_stream(const unsigned char *p, size_t n, size_t *len)
{
	unsigned char *z = malloc(n);
	size_t o = 8;
	*len = 0;
	while (z && o + 12 <= n) {
		size_t l = (size_t)p[o] << 24 | (size_t)p[o + 1] << 16 | (size_t)p[o + 2] << 8 | p[o + 3];
		if (l > n - o - 12)
			break;
		if (memcmp(p + o + 4, "IDAT", 4) == 0) {
			memcpy(z + *len, p + o + 8, l);
			*len += l;
		}
		o += 12 + l;
	}
	return z;
}

#define BEST(var, stmt) do { var = 1e9; for (int i_ = 0; i_ < reps; i_++) { double t_ = now_ms(); stmt; t_ = now_ms() - t_; if (t_ < var) var = t_; } } while (0)

int
main(int argc, char **argv)
{
	FILE *f;
	unsigned char *file;
	long len;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	struct image_policy pol;
	double best;
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
	if (reps < 1)
		reps = 1;
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
		double t = now_ms();
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
		struct image_rgb c = { 0, 0, NULL };
		struct image_gray g;
		double tcheck, tcheck0, t;
		unsigned char *z, *raw, *png;
		size_t zn, rawn;
		int outn;

		BEST(tcheck0, (ps0.n = 0, image_check(file, (size_t)len, &pol, &r0, &ps0)));
		BEST(tcheck, (image_rgb_free(&c), ps.n = 0, image_check_rgb(file, (size_t)len, &pol, &r, &ps, &c)));
		if (c.px == NULL) {
			fprintf(stderr, "bench_png: %s does not pass the check\n", argv[1]);
			return 1;
		}
		printf("  %-62s %8.1f\n", "the check alone (gray decode)", tcheck0);
		printf("  %-62s %8.1f  (same verdict: %s)\n", "the check with its RGB kept (one decode)", tcheck,
		    r.fingerprint == r0.fingerprint && r.contrast == r0.contrast && r.sharpness == r0.sharpness && ps.n == ps0.n ? "yes" : "NO");

		/* where the check's time goes: the inflate of the IDAT stream (stb's,
		 * inside the decode; libdeflate's for comparison), the metrics */
		z = idat_stream(file, (size_t)len, &zn);
		raw = (unsigned char *)stbi_zlib_decode_malloc((const char *)z, (int)zn, &outn);
		rawn = raw ? (size_t)outn : 0;
		stbi_image_free(raw);
		BEST(t, (raw = (unsigned char *)stbi_zlib_decode_malloc((const char *)z, (int)zn, &outn), stbi_image_free(raw)));
		printf("  %-62s %8.1f  (%zu -> %zu bytes)\n", "  of which: stb's inflate of the IDAT stream", t, zn, rawn);
		{
			struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
			unsigned char *o = malloc(rawn + 1);
			size_t got = 0;
			enum libdeflate_result res = LIBDEFLATE_BAD_DATA;
			BEST(t, res = libdeflate_zlib_decompress(d, z, zn, o, rawn, &got));
			printf("  %-62s %8.1f  (%s)\n", "  (libdeflate's inflate of the same stream)", t,
			    res == LIBDEFLATE_SUCCESS && got == rawn ? "same length" : "FAILED");
			free(o);
			libdeflate_free_decompressor(d);
		}
		free(z);
		g.width = c.width;
		g.height = c.height;
		g.px = malloc((size_t)c.width * c.height);
		for (size_t i = 0; i < (size_t)c.width * c.height; i++)
			g.px[i] = (unsigned char)((c.px[3 * i] * 77 + c.px[3 * i + 1] * 150 + c.px[3 * i + 2] * 29) >> 8);
		BEST(t, image_measure(&g, &r0));
		printf("  %-62s %8.1f\n", "  of which: the metrics and fingerprint (image_measure)", t);
		free(g.px);

		/* the encoders: zlib (what the vault used before), libdeflate */
		for (int rle = 0; rle <= 1; rle++)
			for (int level = 1; level <= 6; level += (level == 1 ? 2 : 3))
				for (int filter = -1; filter <= 0; filter++) {
					char name[96];
					BEST(best, (png_zlib_deflate(c.px, (int)c.width, (int)c.height, level, filter, rle, &png, &size), free(png)));
					snprintf(name, sizeof name, "  encode: zlib level %d, %s filter, %s strategy", level,
					    filter < 0 ? "adaptive" : "no", rle ? "rle" : "default");
					printf("  %-62s %8.1f  (canonical %zu bytes)\n", name, best, size);
				}
		for (int level = 1; level <= 6; level++)
			for (int filter = -1; filter <= 0; filter++) {
				char name[96];
				int same;
				BEST(best, (png_libdeflate(&c, level, filter, &png, &size), free(png)));
				png_libdeflate(&c, level, filter, &png, &size);
				same = same_pixels(png, size, &c);
				free(png);
				snprintf(name, sizeof name, "  encode: libdeflate level %d, %s filter%s", level,
				    filter < 0 ? "adaptive" : "no", level == VAULT_LEVEL && filter == 0 ? " (the vault's)" : "");
				printf("  %-62s %8.1f  (canonical %zu bytes%s)\n", name, best, size, same ? "" : ", PIXELS DIFFER");
			}
		/* the upload's image work now: one decode, the vault's encoder */
		BEST(best, (image_rgb_free(&c), ps.n = 0, image_check_rgb(file, (size_t)len, &pol, &r, &ps, &c),
		    png_libdeflate(&c, VAULT_LEVEL, 0, &png, &size), free(png)));
		printf("  %-62s %8.1f  (canonical %zu bytes)\n", "after: check with its RGB, libdeflate level 2, no filter", best, size);
		image_rgb_free(&c);
	}
	free(file);
	return 0;
}
