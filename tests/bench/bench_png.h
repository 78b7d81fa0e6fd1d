/* bench_png.h -- the encoders that bench_png compares libdeflate's
 * (base/stb_write.c) with: stb's own deflate, zlib's (rle: Z_RLE) */
#include <stddef.h>
int png_stb_deflate(const unsigned char *rgb, int w, int h, int level, int filter, unsigned char **out, size_t *n);
int png_zlib_deflate(const unsigned char *rgb, int w, int h, int level, int filter, int rle, unsigned char **out, size_t *n);
