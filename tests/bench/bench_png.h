/* bench_png.h -- the encoder that bench_png compares zlib's with */
#include <stddef.h>
int png_stb_deflate(const unsigned char *rgb, int w, int h, int level, int filter, unsigned char **out, size_t *n);
