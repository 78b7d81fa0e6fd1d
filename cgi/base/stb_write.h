/* base/stb_write.h -- the PNG encoder's deflate (stb_image_write with zlib):
 * the level is stbi_write_png_compression_level, the strategy this. */
#ifndef REKEY_BASE_STB_WRITE_H
#define REKEY_BASE_STB_WRITE_H

/* zlib's strategy for the PNG encoder's deflate (Z_DEFAULT_STRATEGY, Z_RLE, ...) */
extern int stb_write_zlib_strategy;

#endif
