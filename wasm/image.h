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
/* The format by its magic bytes alone, IMAGE_NONE for neither. */
enum image_format image_sniff(const unsigned char *p, size_t n);
/* The format a media type names: "image/png", "image/jpeg"; IMAGE_NONE for any other. */
enum image_format image_format_of_type(const char *type);
/* Structure walk only: no decode. Fills info and ps. */
void image_walk(const unsigned char *p, size_t n, struct image_info *info, struct problems *ps);
/* Walk + decode under the hard pixel limit. */
void image_inspect(const unsigned char *p, size_t n, struct image_result *r, struct problems *ps);
/* Walk + policy limits + decode + metrics + fingerprint. */
void image_check(const unsigned char *p, size_t n, const struct image_policy *pol,
    struct image_result *r, struct problems *ps);
/* RGB pixels of a checked image, owned by the caller (image_rgb_free). */
struct image_rgb {
	unsigned width, height;
	unsigned char *px;
};
/* image_check, and the decoded RGB pixels for the caller (the server's
 * canonical re-encode): an 8-bit PNG is decoded once, its gray made from its
 * RGB exactly as the gray decode makes it (the same verdict as image_check);
 * other images are decoded to gray and to RGB. rgb->px is NULL when ps has
 * a problem. */
void image_check_rgb(const unsigned char *p, size_t n, const struct image_policy *pol,
    struct image_result *r, struct problems *ps, struct image_rgb *rgb);
void image_rgb_free(struct image_rgb *rgb);
/* Decodes to 8-bit gray after a clean walk within max_pixels. 0/-1;
 * the caller frees g->px with image_gray_free. */
int image_decode_gray(const unsigned char *p, size_t n, uint64_t max_pixels, struct image_gray *g);
void image_gray_free(struct image_gray *g);
/* Metrics and fingerprint of a gray image. */
void image_measure(const struct image_gray *g, struct image_result *r);
unsigned image_distance(uint64_t a, uint64_t b);

/* One camera frame for face capture, as RGBA from a canvas. No face model:
 * the middle of the frame (where the face belongs) against its sides is
 * enough for the tips. prev is the previous frame of the same size or NULL.
 * Problems: frame_too_dark, frame_backlit, frame_not_camera,
 * frame_off_centre, frame_blurred, frame_moving; image_too_small /
 * image_too_large for sizes outside FRAME_MIN_SIDE..FRAME_MAX_SIDE. */
#define FRAME_MIN_SIDE 64
#define FRAME_MAX_SIDE 4096
struct frame_metrics {
	double mean;          /* luminance, whole frame */
	double centre_mean;   /* the face box */
	double side_mean;     /* the left and right strips and the top band */
	double centre_energy; /* mean |gradient| per pixel in the face box */
	double side_energy;
	double sharpness;     /* 99th percentile |Laplacian| of edge pixels in the face box */
	double motion;        /* mean |difference| against prev; 0 without prev */
	double flat;          /* share of face-box pixels equal to their right and lower neighbours (0..1) */
};
void image_frame_check(const unsigned char *rgba, unsigned width, unsigned height, const unsigned char *prev,
    struct frame_metrics *m, struct problems *ps);
/* The same on gray pixels (a decoded upload); prev of another size is ignored. */
void image_frame_check_gray(const struct image_gray *g, const struct image_gray *prev, struct frame_metrics *m, struct problems *ps);

PROBLEM_STRERROR(image)

#endif
