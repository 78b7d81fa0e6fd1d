/* base/stb_write.c -- stb_image_write's PNG encoder, for the canonical copy of
 * evidence (a re-encode without metadata), with libdeflate's one-shot zlib
 * compressor in place of stb's own deflate (STBIW_ZLIB_COMPRESS). Issue #21:
 * stb's compressor was most of an upload's time, zlib's streaming deflate
 * still 16.5 ms of it on the 1080x2400 corpus screenshot; libdeflate does the
 * same whole-buffer job in a few ms (tests/bench/bench_png.c measures all
 * three). Third-party code: its warnings are not ours to fix. */
#include <stdlib.h>
#include <libdeflate.h>
#include "stb_write.h"

/* stb's contract: a malloc'd zlib stream (RFC 1950) of data, freed with
 * free, *out_len its length; NULL on failure. quality is
 * stbi_write_png_compression_level, here libdeflate's level (1..12; outside
 * that range STB_WRITE_LEVEL). */
static unsigned char *
deflate_compress(unsigned char *data, int data_len, int *out_len, int quality)
{
	struct libdeflate_compressor *c;
	unsigned char *out = NULL;
	size_t cap, n;

	if (data_len < 0)
		return NULL;
	if ((c = libdeflate_alloc_compressor(quality < 1 || quality > 12 ? STB_WRITE_LEVEL : quality)) == NULL)
		return NULL;
	cap = libdeflate_zlib_compress_bound(c, (size_t)data_len);
	/* the bound always fits: compression never fails for want of room */
	if (cap <= 0x7fffffff && (out = malloc(cap)) != NULL) {
		n = libdeflate_zlib_compress(c, data, (size_t)data_len, out, cap);
		if (n == 0) {
			free(out);
			out = NULL;
		} else {
			*out_len = (int)n;
		}
	}
	libdeflate_free_compressor(c);
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
#define STBIW_ZLIB_COMPRESS deflate_compress
#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#pragma GCC diagnostic pop
