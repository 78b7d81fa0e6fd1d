/* base/stb_write.h -- the PNG encoder (stb_image_write) with libdeflate's
 * compressor: the level is stbi_write_png_compression_level (libdeflate's
 * 1..12), the row filter stbi_write_force_png_filter. */
#ifndef REKEY_BASE_STB_WRITE_H
#define REKEY_BASE_STB_WRITE_H

/* the level when stbi_write_png_compression_level is out of libdeflate's range */
#define STB_WRITE_LEVEL 6

#endif
