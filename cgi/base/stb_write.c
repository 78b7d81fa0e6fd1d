/* base/stb_write.c -- stb_image_write's PNG encoder, for the canonical copy of
 * evidence (a re-encode without metadata), with zlib's deflate in place of
 * stb's own (STBIW_ZLIB_COMPRESS; issue #21: stb's compressor was most of an
 * upload's time, see tests/bench/bench_png.c). Third-party code: its
 * warnings are not ours to fix. */
#include <stdlib.h>
#include <zlib.h>
#include "stb_write.h"

int stb_write_zlib_strategy = Z_DEFAULT_STRATEGY;

/* stb's contract: a malloc'd zlib stream of data (freed with free), *out_len
 * its length; quality is stbi_write_png_compression_level, zlib's level. */
static unsigned char *
zlib_compress(unsigned char *data, int data_len, int *out_len, int quality)
{
	z_stream z = { 0 };
	unsigned char *out;
	uLong cap;

	if (data_len < 0 || deflateInit2(&z, quality < 0 || quality > 9 ? Z_DEFAULT_COMPRESSION : quality, Z_DEFLATED, 15, 8,
	    stb_write_zlib_strategy) != Z_OK)
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
#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#pragma GCC diagnostic pop
