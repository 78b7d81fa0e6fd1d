/* bench_png_zlib.c -- stb_image_write with zlib's streaming deflate
 * (STBIW_ZLIB_COMPRESS; what base/stb_write.c used before libdeflate),
 * private to bench_png: a static copy, like bench_png_stb.c. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "bench_png.h"

static int zlib_strategy = Z_DEFAULT_STRATEGY;

/* stb's contract: a malloc'd zlib stream of data (freed with free), *out_len
 * its length; quality is stbi_write_png_compression_level, zlib's level. */
static unsigned char *
zlib_compress(unsigned char *data, int data_len, int *out_len, int quality)
{
	z_stream z = { 0 };
	unsigned char *out;
	uLong cap;

	if (data_len < 0 || deflateInit2(&z, quality < 0 || quality > 9 ? Z_DEFAULT_COMPRESSION : quality, Z_DEFLATED, 15, 8,
	    zlib_strategy) != Z_OK)
		return NULL;
	cap = deflateBound(&z, (uLong)data_len);
	if (cap > 0x7fffffff || (out = malloc(cap)) == NULL) {
		deflateEnd(&z);
		return NULL;
	}
	z.next_in = data;
	z.avail_in = (uInt)data_len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*out_len = (int)z.total_out;
	deflateEnd(&z);
	return out;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wcast-qual"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wundef"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#define STBIW_ZLIB_COMPRESS zlib_compress
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#pragma GCC diagnostic pop

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
png_zlib_deflate(const unsigned char *rgb, int w, int h, int level, int filter, int rle, unsigned char **out, size_t *n)
{
	struct buf b = { 0 };
	stbi_write_png_compression_level = level;
	stbi_write_force_png_filter = filter;
	zlib_strategy = rle ? Z_RLE : Z_DEFAULT_STRATEGY;
	if (!stbi_write_png_to_func(put, &b, w, h, 3, rgb, w * 3)) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	*n = b.n;
	return 0;
}
