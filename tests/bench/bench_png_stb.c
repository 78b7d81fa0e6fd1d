/* bench_png_stb.c -- stb_image_write with its own deflate (what the vault
 * used before issue #21), private to bench_png: a static copy (which
 * declares what it does not define). */
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
#include <stdlib.h>
#include <string.h>
#include "bench_png.h"

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

int
png_stb_deflate(const unsigned char *rgb, int w, int h, int level, int filter, unsigned char **out, size_t *n)
{
	struct buf b = { 0 };
	stbi_write_png_compression_level = level;
	stbi_write_force_png_filter = filter;
	if (!stbi_write_png_to_func(put, &b, w, h, 3, rgb, w * 3)) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	*n = b.n;
	return 0;
}
