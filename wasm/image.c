/* image.c -- screenshot checks. The walk trusts nothing: every length is
 * checked against what is left before it is used. */
#include <stdlib.h>
#include <string.h>
#include "image.h"
#include "hash.h"
#include "limits.h"

#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_NO_FAILURE_STRINGS
#define STBI_MAX_DIMENSIONS 65535
#define STB_IMAGE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wcast-qual"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wundef"
#include <stb_image.h>
#pragma GCC diagnostic pop

void
image_policy_default(struct image_policy *p)
{
	p->max_bytes = LIM_IMG_DEFAULT_MAX_BYTES;
	p->min_side = LIM_IMG_DEFAULT_MIN_SIDE;
	p->max_side = LIM_IMG_DEFAULT_MAX_SIDE;
	p->max_pixels = LIM_IMG_DEFAULT_MAX_PIXELS;
	p->min_contrast = 4.0;
	p->min_highlight = 64.0;
	p->min_sharpness = 24.0;
}

const char *
image_format_name(enum image_format f)
{
	return f == IMAGE_PNG ? "png" : f == IMAGE_JPEG ? "jpeg" : NULL;
}

/* PNG spec (3rd ed.) §5.2 signature; ITU-T T.81 §B.1.1.3 SOI followed by a marker */
static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };

enum image_format
image_sniff(const unsigned char *p, size_t n)
{
	if (n >= 8 && memcmp(p, png_sig, 8) == 0)
		return IMAGE_PNG;
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return IMAGE_JPEG;
	return IMAGE_NONE;
}

/* RFC 2083 §12.1 and RFC 2046 §4.2: the registered names, nothing else
 * (no "image/jpg", no parameters: rekeyd's routes take these two only) */
enum image_format
image_format_of_type(const char *type)
{
	if (type == NULL)
		return IMAGE_NONE;
	if (strcmp(type, "image/png") == 0)
		return IMAGE_PNG;
	if (strcmp(type, "image/jpeg") == 0)
		return IMAGE_JPEG;
	return IMAGE_NONE;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int
is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* PNG spec (3rd ed.) §5: signature, chunks, CRC; §11.2.2 IHDR rules. */
static void
walk_png(const unsigned char *p, size_t n, struct image_info *info, struct problems *ps)
{
	size_t off = 8;
	unsigned nchunks = 0, color = 0;
	int seen_ihdr = 0, seen_plte = 0, seen_idat = 0, idat_ended = 0, seen_iend = 0;

	while (off < n) {
		uint32_t len, crc;
		const unsigned char *type;
		if (n - off < 12) {
			problems_add(ps, PROB_IMG_TRUNCATED);
			return;
		}
		len = be32(p + off);
		type = p + off + 4;
		if (len > 0x7fffffffu) { /* §5.3: length at most 2^31-1 */
			problems_add(ps, PROB_IMG_STRUCTURE);
			return;
		}
		if (n - off - 12 < len) {
			problems_add(ps, PROB_IMG_TRUNCATED);
			return;
		}
		if (!is_alpha(type[0]) || !is_alpha(type[1]) || !is_alpha(type[2]) || !is_alpha(type[3])) {
			problems_add(ps, PROB_IMG_STRUCTURE);
			return;
		}
		crc = hash_crc32(0, type, 4 + (size_t)len);
		if (crc != be32(p + off + 8 + len)) { /* §5.3 CRC over type and data */
			problems_add(ps, PROB_IMG_CRC);
			return;
		}
		if (++nchunks > LIM_IMG_MAX_CHUNKS) {
			problems_add(ps, PROB_IMG_STRUCTURE);
			return;
		}
		if (nchunks == 1 && memcmp(type, "IHDR", 4) != 0) {
			problems_add(ps, PROB_IMG_STRUCTURE); /* §5.6: IHDR first */
			return;
		}
		if (memcmp(type, "IHDR", 4) == 0) {
			const unsigned char *d = p + off + 8;
			unsigned depth, ok;
			if (seen_ihdr || len != 13) {
				problems_add(ps, PROB_IMG_STRUCTURE);
				return;
			}
			seen_ihdr = 1;
			info->width = be32(d);
			info->height = be32(d + 4);
			depth = d[8];
			color = d[9];
			/* §11.2.2: allowed bit depth per colour type */
			switch (color) {
			case 0: ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16; break;
			case 3: ok = depth == 1 || depth == 2 || depth == 4 || depth == 8; break;
			case 2: case 4: case 6: ok = depth == 8 || depth == 16; break;
			default: ok = 0;
			}
			if (info->width == 0 || info->height == 0 || info->width > 0x7fffffffu ||
			    info->height > 0x7fffffffu || !ok || d[10] != 0 || d[11] != 0 || d[12] > 1) {
				problems_add(ps, PROB_IMG_HEADER);
				return;
			}
		} else if (memcmp(type, "PLTE", 4) == 0) {
			if (seen_plte || seen_idat || len == 0 || len % 3 != 0 || len > 768 || color == 0 || color == 4) {
				problems_add(ps, PROB_IMG_STRUCTURE); /* §11.2.3 */
				return;
			}
			seen_plte = 1;
		} else if (memcmp(type, "IDAT", 4) == 0) {
			if (idat_ended) {
				problems_add(ps, PROB_IMG_STRUCTURE); /* §5.6: IDATs consecutive */
				return;
			}
			if (color == 3 && !seen_plte) {
				problems_add(ps, PROB_IMG_STRUCTURE);
				return;
			}
			seen_idat = 1;
		} else if (memcmp(type, "IEND", 4) == 0) {
			if (len != 0 || !seen_idat) {
				problems_add(ps, PROB_IMG_STRUCTURE);
				return;
			}
			seen_iend = 1;
			off += 12;
			break;
		} else {
			if (seen_idat)
				idat_ended = 1;
			if (!(type[0] & 0x20)) { /* §5.4: unknown critical chunk */
				problems_add(ps, PROB_IMG_STRUCTURE);
				return;
			}
		}
		if (seen_idat && memcmp(type, "IDAT", 4) != 0)
			idat_ended = 1;
		off += 12 + (size_t)len;
	}
	if (!seen_iend) {
		problems_add(ps, PROB_IMG_TRUNCATED);
		return;
	}
	if (off != n)
		problems_add(ps, PROB_IMG_TRAILING);
}

/* ITU-T T.81 §B.2.4.2: a DHT segment holds tables of 1 + 16 + sum(L) bytes,
 * class 0..1, id 0..3, and at most 256 codes each. A decoder that trusts the
 * counts writes past its size table (stb_image 2.27 does): refuse first. */
static int
dht_ok(const unsigned char *d, size_t n)
{
	while (n > 0) {
		size_t total = 0;
		if (n < 17 || (d[0] >> 4) > 1 || (d[0] & 15) > 3)
			return 0;
		for (int i = 0; i < 16; i++)
			total += d[1 + i];
		if (total > 256 || n - 17 < total)
			return 0;
		d += 17 + total;
		n -= 17 + total;
	}
	return 1;
}

/* ITU-T T.81 §B.2.4.1: DQT tables of 65 or 129 bytes, precision 0..1, id 0..3. */
static int
dqt_ok(const unsigned char *d, size_t n)
{
	while (n > 0) {
		size_t len = (d[0] >> 4) == 0 ? 65 : 129;
		if ((d[0] >> 4) > 1 || (d[0] & 15) > 3 || n < len)
			return 0;
		d += len;
		n -= len;
	}
	return 1;
}

/* ITU-T T.81 §B.2.3: SOS with 1..4 components and a matching length. */
static int
sos_ok(const unsigned char *d, size_t n)
{
	return n >= 1 && d[0] >= 1 && d[0] <= 4 && n == 4 + 2 * (size_t)d[0];
}

/* ITU-T T.81 §B.1: markers and segments. */
static void
walk_jpeg(const unsigned char *p, size_t n, struct image_info *info, struct problems *ps)
{
	size_t off = 2;
	int seen_sof = 0, seen_sos = 0;

	for (;;) {
		unsigned m;
		size_t len;
		if (off >= n) {
			problems_add(ps, PROB_IMG_TRUNCATED);
			return;
		}
		if (p[off] != 0xff) {
			problems_add(ps, PROB_IMG_STRUCTURE);
			return;
		}
		while (off < n && p[off] == 0xff) /* §B.1.1.2: fill bytes */
			off++;
		if (off >= n) {
			problems_add(ps, PROB_IMG_TRUNCATED);
			return;
		}
		m = p[off++];
		if (m == 0xd9) { /* EOI */
			if (!seen_sos) {
				problems_add(ps, PROB_IMG_STRUCTURE);
				return;
			}
			break;
		}
		if (m == 0x00 || m == 0xd8 || (m >= 0xd0 && m <= 0xd7) || m == 0x01) {
			problems_add(ps, PROB_IMG_STRUCTURE); /* no stand-alone markers between segments */
			return;
		}
		if (n - off < 2) {
			problems_add(ps, PROB_IMG_TRUNCATED);
			return;
		}
		len = (size_t)p[off] << 8 | p[off + 1];
		if (len < 2) {
			problems_add(ps, PROB_IMG_STRUCTURE);
			return;
		}
		if (n - off < len) {
			problems_add(ps, PROB_IMG_TRUNCATED);
			return;
		}
		if ((m >= 0xc0 && m <= 0xcf) && m != 0xc4 && m != 0xc8 && m != 0xcc) { /* SOFn, §B.2.2 */
			const unsigned char *d = p + off + 2;
			unsigned nc;
			if (seen_sof || len < 8) {
				problems_add(ps, PROB_IMG_STRUCTURE);
				return;
			}
			seen_sof = 1;
			nc = d[5];
			info->height = (unsigned)d[1] << 8 | d[2];
			info->width = (unsigned)d[3] << 8 | d[4];
			if (d[0] != 8 || info->width == 0 || info->height == 0 || (nc != 1 && nc != 3) ||
			    len != 8 + 3 * (size_t)nc || (m != 0xc0 && m != 0xc1 && m != 0xc2)) {
				/* baseline/extended/progressive Huffman, 8-bit, gray or YCbCr */
				problems_add(ps, PROB_IMG_HEADER);
				return;
			}
		}
		if ((m == 0xc4 && !dht_ok(p + off + 2, len - 2)) || (m == 0xdb && !dqt_ok(p + off + 2, len - 2)) ||
		    (m == 0xda && !sos_ok(p + off + 2, len - 2))) {
			problems_add(ps, PROB_IMG_STRUCTURE);
			return;
		}
		off += len;
		if (m == 0xda) { /* SOS: entropy-coded data follows, §B.2.3 */
			if (!seen_sof) {
				problems_add(ps, PROB_IMG_STRUCTURE);
				return;
			}
			seen_sos = 1;
			for (;;) {
				if (off + 1 >= n) {
					problems_add(ps, PROB_IMG_TRUNCATED);
					return;
				}
				if (p[off] == 0xff && p[off + 1] != 0x00 && !(p[off + 1] >= 0xd0 && p[off + 1] <= 0xd7) &&
				    p[off + 1] != 0xff)
					break;
				off++;
			}
		}
	}
	if (off != n)
		problems_add(ps, PROB_IMG_TRAILING);
}

void
image_walk(const unsigned char *p, size_t n, struct image_info *info, struct problems *ps)
{
	memset(info, 0, sizeof *info);
	info->bytes = n;
	if (n == 0) {
		problems_add(ps, PROB_IMG_EMPTY);
		return;
	}
	info->format = image_sniff(p, n);
	if (info->format == IMAGE_PNG)
		walk_png(p, n, info, ps);
	else if (info->format == IMAGE_JPEG)
		walk_jpeg(p, n, info, ps);
	else if ((n < 8 && memcmp(p, png_sig, n) == 0) || (n < 3 && p[0] == 0xff))
		problems_add(ps, PROB_IMG_TRUNCATED);
	else
		problems_add(ps, PROB_IMG_FORMAT);
}

/* Decodes an image whose walk was clean and whose size fits the limit. */
static int
decode_walked(const unsigned char *p, size_t n, const struct image_info *info, struct image_gray *g)
{
	int w, h, comp;

	memset(g, 0, sizeof *g);
	if (n > INT32_MAX)
		return -1;
	g->px = stbi_load_from_memory(p, (int)n, &w, &h, &comp, 1);
	if (g->px == NULL)
		return -1;
	if ((unsigned)w != info->width || (unsigned)h != info->height) {
		image_gray_free(g);
		return -1;
	}
	g->width = (unsigned)w;
	g->height = (unsigned)h;
	return 0;
}

int
image_decode_gray(const unsigned char *p, size_t n, uint64_t max_pixels, struct image_gray *g)
{
	struct image_info info;
	struct problems ps = { 0, { 0 } };

	memset(g, 0, sizeof *g);
	image_walk(p, n, &info, &ps);
	if (ps.n != 0 || (uint64_t)info.width * info.height > max_pixels)
		return -1;
	return decode_walked(p, n, &info, g);
}

void
image_gray_free(struct image_gray *g)
{
	stbi_image_free(g->px);
	g->px = NULL;
}

unsigned
image_distance(uint64_t a, uint64_t b)
{
	uint64_t x = a ^ b;
	unsigned c = 0;
	while (x) {
		x &= x - 1;
		c++;
	}
	return c;
}

/* Eight bytes as one word, for equality tests only (any byte order) */
static uint64_t
load8(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof w);
	return w;
}

/* Area average of the rectangle [x0,x1) x [y0,y1). */
static double
area_mean(const struct image_gray *g, unsigned x0, unsigned x1, unsigned y0, unsigned y1)
{
	uint64_t sum = 0;
	if (x1 <= x0) x1 = x0 + 1;
	if (y1 <= y0) y1 = y0 + 1;
	for (unsigned y = y0; y < y1; y++) {
		const unsigned char *row = g->px + (size_t)y * g->width;
		for (unsigned x = x0; x < x1; x++)
			sum += row[x];
	}
	return (double)sum / ((double)(x1 - x0) * (y1 - y0));
}

void
image_measure(const struct image_gray *g, struct image_result *res)
{
	const size_t npx = (size_t)g->width * g->height;
	uint64_t sum = 0, sum2 = 0, hist[1024] = { 0 }, lum[256] = { 0 }, lum4[4][256] = { { 0 } }, edges = 0, acc = 0;
	double *mean = &res->mean, *contrast = &res->contrast, *sharpness = &res->sharpness;
	double m, cell[8][9];
	uint64_t fp = 0;
	unsigned x, y;

	/* The luminance histogram; the sum and the sum of squares follow from
	 * it exactly. Issue #21: one counter bumped pixel after pixel (a flat
	 * screenshot) waits for its own previous store, so eight equal pixels
	 * count as one step and the others go to four striped histograms. */
	{
		size_t i = 0;
		for (; i + 8 <= npx; i += 8) {
			uint64_t w = load8(g->px + i);
			if (w == (w & 0xff) * 0x0101010101010101u) {
				lum[g->px[i]] += 8;
			} else {
				lum4[0][g->px[i]]++;
				lum4[1][g->px[i + 1]]++;
				lum4[2][g->px[i + 2]]++;
				lum4[3][g->px[i + 3]]++;
				lum4[0][g->px[i + 4]]++;
				lum4[1][g->px[i + 5]]++;
				lum4[2][g->px[i + 6]]++;
				lum4[3][g->px[i + 7]]++;
			}
		}
		for (; i < npx; i++)
			lum[g->px[i]]++;
		for (unsigned v = 0; v < 256; v++) {
			lum[v] += lum4[0][v] + lum4[1][v] + lum4[2][v] + lum4[3][v];
			sum += v * lum[v];
			sum2 += (uint64_t)v * v * lum[v];
		}
	}
	acc = 0;
	res->highlight = 255;
	for (unsigned i = 0; i < 256; i++) {
		acc += lum[i];
		if (acc >= npx - npx / 100) {
			res->highlight = i;
			break;
		}
	}
	acc = 0;
	m = (double)sum / (double)npx;
	*mean = m;
	*contrast = (double)sum2 / (double)npx - m * m;
	*contrast = *contrast > 0 ? __builtin_sqrt(*contrast) : 0;
	/* Sharpness: the 99th percentile of |Laplacian| over pixels on an
	 * edge. Text in a sharp screenshot has steps of 100+; a blurred one
	 * spreads them into small slopes. */
	for (y = 1; y + 1 < g->height; y++) {
		const unsigned char *r = g->px + (size_t)y * g->width;
		const unsigned char *up = r - g->width, *dn = r + g->width; /* rows, not unsigned index arithmetic */
		for (x = 1; x + 1 < g->width; x++) {
			/* eight pixels equal to their four neighbours: eight zeros,
			 * no edge (issue #21: most of a screenshot is flat) */
			while (x + 9 <= g->width) {
				uint64_t c = load8(r + x);
				if (load8(r + x - 1) != c || load8(r + x + 1) != c || load8(up + x) != c || load8(dn + x) != c)
					break;
				x += 8;
			}
			if (x + 1 >= g->width)
				break;
			int lap = 4 * r[x] - r[x - 1] - r[x + 1] - up[x] - dn[x];
			unsigned a = (unsigned)(lap < 0 ? -lap : lap);
			if (a >= 8) {
				hist[a > 1023 ? 1023 : a]++;
				edges++;
			}
		}
	}
	*sharpness = 0;
	if (edges > 0) {
		uint64_t target = edges - edges / 100;
		for (unsigned i = 0; i < 1024; i++) {
			acc += hist[i];
			if (acc >= target) {
				*sharpness = i;
				break;
			}
		}
	}
	/* dHash: 9x8 area means, one bit per horizontal gradient sign. It
	 * ignores scale and survives re-encoding. */
	for (y = 0; y < 8; y++)
		for (x = 0; x < 9; x++)
			cell[y][x] = area_mean(g, (unsigned)((uint64_t)x * g->width / 9),
			    (unsigned)((uint64_t)(x + 1) * g->width / 9),
			    (unsigned)((uint64_t)y * g->height / 8), (unsigned)((uint64_t)(y + 1) * g->height / 8));
	for (y = 0; y < 8; y++)
		for (x = 0; x < 8; x++)
			fp = fp << 1 | (cell[y][x] < cell[y][x + 1]);
	res->fingerprint = fp;
}

static void
decode_and_measure(const unsigned char *p, size_t n, struct image_result *r, struct problems *ps)
{
	struct image_gray g;

	if (decode_walked(p, n, &r->info, &g) != 0) {
		problems_add(ps, PROB_IMG_DECODE);
		return;
	}
	image_measure(&g, r);
	r->decoded = 1;
	image_gray_free(&g);
}

void
image_inspect(const unsigned char *p, size_t n, struct image_result *r, struct problems *ps)
{
	memset(r, 0, sizeof *r);
	image_walk(p, n, &r->info, ps);
	if (ps->n != 0)
		return;
	if ((uint64_t)r->info.width * r->info.height > LIM_IMG_HARD_MAX_PIXELS) {
		problems_add(ps, PROB_IMG_TOO_MANY_PIXELS);
		return;
	}
	decode_and_measure(p, n, r, ps);
}

/* An 8-bit (or less) PNG: stb_image's gray for it is the BT.601 luminance
 * of its RGB (stbi__compute_y), exactly; a JPEG's gray is its own Y channel
 * and a 16-bit PNG's is taken before the 8-bit rounding, so those are
 * decoded twice to keep the verdicts the same everywhere. PNG 11.2.2 IHDR:
 * the bit depth is byte 24 of the file. */
static int
png_rgb_exact(const unsigned char *p, size_t n, const struct image_info *info)
{
	return info->format == IMAGE_PNG && n > 24 && p[24] <= 8;
}

/* Decodes once to RGB and measures the gray made from it. */
static void
decode_rgb_and_measure(const unsigned char *p, size_t n, struct image_result *r, struct problems *ps, struct image_rgb *rgb)
{
	struct image_gray g = { 0, 0, NULL };
	int w, h, comp;
	size_t npx;

	rgb->px = n > INT32_MAX ? NULL : stbi_load_from_memory(p, (int)n, &w, &h, &comp, 3);
	if (rgb->px == NULL || (unsigned)w != r->info.width || (unsigned)h != r->info.height) {
		image_rgb_free(rgb);
		problems_add(ps, PROB_IMG_DECODE);
		return;
	}
	rgb->width = (unsigned)w;
	rgb->height = (unsigned)h;
	npx = (size_t)w * (size_t)h;
	if ((g.px = malloc(npx)) == NULL) {
		image_rgb_free(rgb);
		problems_add(ps, PROB_IMG_DECODE);
		return;
	}
	g.width = rgb->width;
	g.height = rgb->height;
	for (size_t i = 0; i < npx; i++) {
		const unsigned char *c = rgb->px + 3 * i;
		g.px[i] = (unsigned char)((c[0] * 77 + c[1] * 150 + c[2] * 29) >> 8);
		/* issue #21: eight equal pixels (each byte equal to the one three
		 * on, through the 24 bytes) have one gray */
		if (i + 8 <= npx && load8(c) == load8(c + 3) && load8(c + 8) == load8(c + 11) && load8(c + 13) == load8(c + 16)) {
			memset(g.px + i + 1, g.px[i], 7);
			i += 7;
		}
	}
	image_measure(&g, r);
	r->decoded = 1;
	free(g.px);
}

void
image_rgb_free(struct image_rgb *rgb)
{
	stbi_image_free(rgb->px);
	rgb->px = NULL;
}

static void
check(const unsigned char *p, size_t n, const struct image_policy *pol, struct image_result *r, struct problems *ps,
    struct image_rgb *rgb);

void
image_check(const unsigned char *p, size_t n, const struct image_policy *pol,
    struct image_result *r, struct problems *ps)
{
	check(p, n, pol, r, ps, NULL);
}

void
image_check_rgb(const unsigned char *p, size_t n, const struct image_policy *pol,
    struct image_result *r, struct problems *ps, struct image_rgb *rgb)
{
	memset(rgb, 0, sizeof *rgb);
	check(p, n, pol, r, ps, rgb);
	if (ps->n != 0)
		image_rgb_free(rgb);
}

static void
check(const unsigned char *p, size_t n, const struct image_policy *pol, struct image_result *r, struct problems *ps,
    struct image_rgb *rgb)
{
	uint64_t maxpx = pol->max_pixels < LIM_IMG_HARD_MAX_PIXELS ? pol->max_pixels : LIM_IMG_HARD_MAX_PIXELS;

	memset(r, 0, sizeof *r);
	r->info.bytes = n;
	if (n > pol->max_bytes) { /* before anything else: the byte limit */
		problems_add(ps, PROB_IMG_TOO_MANY_BYTES);
		return;
	}
	image_walk(p, n, &r->info, ps);
	if (ps->n != 0)
		return;
	/* libspng-style: limits from the header, before any decode */
	if ((uint64_t)r->info.width * r->info.height > maxpx)
		problems_add(ps, PROB_IMG_TOO_MANY_PIXELS);
	if (r->info.width > pol->max_side || r->info.height > pol->max_side)
		problems_add(ps, PROB_IMG_TOO_LARGE);
	if (r->info.width < pol->min_side || r->info.height < pol->min_side)
		problems_add(ps, PROB_IMG_TOO_SMALL);
	if (ps->n != 0)
		return;
	if (rgb && png_rgb_exact(p, n, &r->info)) {
		decode_rgb_and_measure(p, n, r, ps, rgb);
	} else {
		decode_and_measure(p, n, r, ps);
		if (rgb && r->decoded) { /* a JPEG, a 16-bit PNG: its RGB is a second decode */
			int w, h, comp;
			rgb->px = stbi_load_from_memory(p, (int)n, &w, &h, &comp, 3);
			if (rgb->px == NULL || (unsigned)w != r->info.width || (unsigned)h != r->info.height) {
				image_rgb_free(rgb);
				problems_add(ps, PROB_IMG_DECODE);
				return;
			}
			rgb->width = (unsigned)w;
			rgb->height = (unsigned)h;
		}
	}
	if (!r->decoded)
		return;
	if (r->contrast < pol->min_contrast)
		problems_add(ps, PROB_IMG_BLANK);
	else if (r->sharpness < pol->min_sharpness)
		problems_add(ps, PROB_IMG_BLURRED);
	if (r->highlight < pol->min_highlight)
		problems_add(ps, PROB_IMG_DARK);
}

/* ---- camera frames ---- */

/* RGBA (a canvas's ImageData) to BT.601 luminance, into a new gray image. */
static int
gray_from_rgba(const unsigned char *rgba, unsigned w, unsigned h, struct image_gray *g)
{
	const size_t npx = (size_t)w * h;

	g->width = w;
	g->height = h;
	if ((g->px = malloc(npx)) == NULL)
		return -1;
	for (size_t i = 0; i < npx; i++) {
		const unsigned char *p = rgba + 4 * i;
		g->px[i] = (unsigned char)((77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8);
	}
	return 0;
}

/* Frames between FRAME_MIN_SIDE and FRAME_MAX_SIDE, with pixels: 1, or 0 with the problem. */
static int
frame_size_ok(int has_pixels, unsigned w, unsigned h, struct problems *ps)
{
	if (!has_pixels || w < FRAME_MIN_SIDE || h < FRAME_MIN_SIDE) {
		problems_add(ps, PROB_IMG_TOO_SMALL);
		return 0;
	}
	if (w > FRAME_MAX_SIDE || h > FRAME_MAX_SIDE) {
		problems_add(ps, PROB_IMG_TOO_LARGE);
		return 0;
	}
	return 1;
}

void
image_frame_check(const unsigned char *rgba, unsigned w, unsigned h, const unsigned char *prev,
    struct frame_metrics *m, struct problems *ps)
{
	struct image_gray g = { 0, 0, NULL }, pg = { 0, 0, NULL };

	memset(m, 0, sizeof *m);
	if (!frame_size_ok(rgba != NULL, w, h, ps))
		return;
	if (gray_from_rgba(rgba, w, h, &g) != 0 || (prev != NULL && gray_from_rgba(prev, w, h, &pg) != 0))
		problems_add(ps, PROB_INTERNAL);
	else
		image_frame_check_gray(&g, prev != NULL ? &pg : NULL, m, ps);
	image_gray_free(&g);
	image_gray_free(&pg);
}

void
image_frame_check_gray(const struct image_gray *g, const struct image_gray *prev, struct frame_metrics *m, struct problems *ps)
{
	const unsigned w = g->width, h = g->height;
	/* the face box: the middle 40% across, 60% down; the sides: the outer
	 * 15% on the left and right and the top 10% (the shoulders fill the bottom) */
	const unsigned cx0 = w * 3 / 10, cx1 = w * 7 / 10, cy0 = h / 5, cy1 = h * 4 / 5;
	const unsigned sx0 = w * 3 / 20, sx1 = w - w * 3 / 20, sy1 = h / 10;
	uint64_t sum = 0, csum = 0, ssum = 0, cn = 0, sn = 0, cgrad = 0, sgrad = 0, diff = 0, edges = 0, cflat = 0, hist[1024] = { 0 };
	const unsigned char *px = g->px;
	size_t npx;

	memset(m, 0, sizeof *m);
	if (!frame_size_ok(px != NULL, w, h, ps))
		return;
	if (prev != NULL && (prev->width != w || prev->height != h || prev->px == NULL))
		prev = NULL; /* another size: no stillness to measure */
	npx = (size_t)w * h;
	for (unsigned y = 0; y < h; y++) {
		for (unsigned x = 0; x < w; x++) {
			size_t i = (size_t)y * w + x;
			unsigned l = px[i];
			int in_c = x >= cx0 && x < cx1 && y >= cy0 && y < cy1;
			int in_s = x < sx0 || x >= sx1 || y < sy1;
			sum += l;
			if (prev != NULL) {
				unsigned pl = prev->px[i];
				diff += l > pl ? l - pl : pl - l;
			}
			if (in_c) {
				csum += l;
				cn++;
			} else if (in_s) {
				ssum += l;
				sn++;
			}
			if (x + 1 < w && y + 1 < h && (in_c || in_s)) {
				unsigned r = px[i + 1], d = px[i + w];
				unsigned gr = (r > l ? r - l : l - r) + (d > l ? d - l : l - d);
				if (in_c) {
					cgrad += gr;
					cflat += l == r && l == d;
				} else {
					sgrad += gr;
				}
				if (in_c && x > 0 && y > 0) {
					int lap = 4 * (int)l - (int)r - (int)d - (int)px[i - 1] - (int)px[i - w];
					unsigned a = (unsigned)(lap < 0 ? -lap : lap);
					if (a >= 8) {
						hist[a > 1023 ? 1023 : a]++;
						edges++;
					}
				}
			}
		}
	}
	m->mean = (double)sum / (double)npx;
	m->centre_mean = cn ? (double)csum / (double)cn : 0;
	m->side_mean = sn ? (double)ssum / (double)sn : 0;
	m->centre_energy = cn ? (double)cgrad / (double)cn : 0;
	m->side_energy = sn ? (double)sgrad / (double)sn : 0;
	m->motion = prev != NULL ? (double)diff / (double)npx : 0;
	m->flat = cn ? (double)cflat / (double)cn : 0;
	if (edges > 0) {
		uint64_t acc = 0, target = edges - edges / 100;
		for (unsigned i = 0; i < 1024; i++) {
			acc += hist[i];
			if (acc >= target) {
				m->sharpness = i;
				break;
			}
		}
	}
	/* one tip at a time, the most basic first: the camera, light, framing,
	 * focus, stillness.
	 * Not a camera's frame (seed, Case 2: "prepare your camera"; issue #14:
	 * a screenshot passed as a face frame) is refused, not flagged for the
	 * reviewer: a screenshot shows no live face to compare, and the page
	 * runs this same check on every live frame, so a person at a camera
	 * that ever tripped it would read the tip at once and could change the
	 * light, while a flag would only surface days later in a review. Two
	 * signs, each one that no camera gives:
	 * - a shape no camera has: long side over LIM_FRAME_MAX_ASPECT times
	 *   the short one (most phone screens are 19.5:9 to 20:9, 18:9 ones sit
	 *   at the limit and pass; camera modes are 4:3, 16:9, 1:1; scaling keeps
	 *   the shape, so the capture size and a downscaled upload do not matter);
	 * - a face box that is mostly exactly flat colour: a sensor's noise
	 *   moves almost every pixel off its neighbours' values, while a
	 *   screen's background is one value for hundreds of pixels (measured:
	 *   photographs 0.3-36% flat, the tests' noisy frames 3-10%, Chromium
	 *   screenshots 84-97%).
	 * The face box only: a wall, a dark room or a blown-out window around
	 * the face may be flat. Dark and backlit come before flatness: clipped
	 * black or white is flat too, and their tips are the ones that help. */
	if ((uint64_t)(w > h ? w : h) > (uint64_t)LIM_FRAME_MAX_ASPECT * (w > h ? h : w))
		problems_add(ps, PROB_FRAME_NOT_CAMERA);
	else if (m->mean < 50)
		problems_add(ps, PROB_FRAME_DARK);
	else if (m->side_mean > 150 && m->side_mean > m->centre_mean + 40)
		problems_add(ps, PROB_FRAME_BACKLIT);
	else if (cflat * 1000 >= cn * LIM_FRAME_MAX_FLAT_PERMILLE)
		problems_add(ps, PROB_FRAME_NOT_CAMERA);
	else if (m->centre_energy < 3 || m->centre_energy < 1.5 * m->side_energy)
		problems_add(ps, PROB_FRAME_OFF_CENTRE);
	else if (m->sharpness < 24)
		problems_add(ps, PROB_FRAME_BLURRED);
	else if (m->motion > 8)
		problems_add(ps, PROB_FRAME_MOVING);
}
