/* image.h -- screenshot checks: magic bytes, a full structural walk (PNG
 * chunks and CRCs, JPEG markers), limits from the header before any decode,
 * decode, quality metrics and a 64-bit perceptual fingerprint. */
#ifndef REKEY_IMAGE_H
#define REKEY_IMAGE_H
#include <stddef.h>
#include <stdint.h>
#include "problem.h"

enum image_format { IMAGE_NONE, IMAGE_PNG, IMAGE_JPEG };

struct image_policy {
	size_t max_bytes;
	unsigned min_side, max_side;
	uint64_t max_pixels;
	double min_contrast;   /* below: blank */
	double min_highlight;  /* 99th-percentile luminance below this: too dark (dark-mode UIs still have bright text) */
	double min_sharpness;  /* below: blurred */
};

struct image_info {
	enum image_format format;
	unsigned width, height;
	size_t bytes;
};

struct image_result {
	struct image_info info;
	double mean, contrast, sharpness, highlight;
	uint64_t fingerprint;
	int decoded;
};

/* Gray pixels of a decoded image, owned by the caller after image_decode_gray. */
struct image_gray {
	unsigned width, height;
	unsigned char *px;
};

void image_policy_default(struct image_policy *p);
const char *image_format_name(enum image_format f);
/* Structure walk only: no decode. Fills info and ps. */
void image_walk(const unsigned char *p, size_t n, struct image_info *info, struct problems *ps);
/* Walk + decode under the hard pixel limit. */
void image_inspect(const unsigned char *p, size_t n, struct image_result *r, struct problems *ps);
/* Walk + policy limits + decode + metrics + fingerprint. */
void image_check(const unsigned char *p, size_t n, const struct image_policy *pol,
    struct image_result *r, struct problems *ps);
/* Decodes to 8-bit gray after a clean walk within max_pixels. 0/-1;
 * the caller frees g->px with image_gray_free. */
int image_decode_gray(const unsigned char *p, size_t n, uint64_t max_pixels, struct image_gray *g);
void image_gray_free(struct image_gray *g);
/* Metrics and fingerprint of a gray image. */
void image_measure(const struct image_gray *g, struct image_result *r);
unsigned image_distance(uint64_t a, uint64_t b);

PROBLEM_STRERROR(image)

#endif
