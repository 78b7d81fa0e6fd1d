/* check_vault.c -- cgi/store/vault.c: evidence sealed at rest with
 * XChaCha20-Poly1305 under the evidence key, the row's name (case, kind,
 * hash) as associated data, so a box opens only as what it was sealed as;
 * and the canonical PNG, re-encoded from decoded pixels, which keeps the
 * picture and nothing else (no text chunks, no trailing payload). Needs no
 * database: an app with a random server key. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_fixture.h"
#include "../cgi/store/store.h"
#include "../wasm/image.h"
#include <libdeflate.h>
/* the decoder is the core's (libcore), the encoder base/stb_write.c's */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wundef"
#pragma GCC diagnostic ignored "-Wconversion"
#include <stb_image.h>
#include <stb_image_write.h>
#pragma GCC diagnostic pop

#define OVERHEAD (crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define SHA "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA_OTHER "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a09"

static unsigned char *
sealed(const struct app *a, const void *p, size_t n, const char *ad, size_t *len)
{
	int key_id = 0;
	unsigned char *box = vault_seal(a, p, n, ad, len, &key_id);
	ck_assert_int_eq(key_id, 1);
	ck_assert_ptr_nonnull(box);
	ck_assert_uint_eq(*len, n + OVERHEAD);
	return box;
}

/* 1 when BOX opens under AD to exactly P */
static int
opens_to(const struct app *a, const unsigned char *box, size_t n, const char *ad, const void *p, size_t pn)
{
	size_t len = (size_t)-1;
	unsigned char *out = vault_unseal(a, 1, box, n, ad, &len);
	int ok;

	if (out == NULL)
		return 0;
	ok = len == pn && memcmp(out, p, pn) == 0;
	free(out);
	ck_assert_msg(ok, "opened to something else");
	return 1;
}

/* ---- PNG chunks by hand (PNG spec 5.3: length, type, data, CRC over type and data) ---- */

static unsigned long
crc32_of(const unsigned char *p, size_t n)
{
	unsigned long c = 0xffffffffUL;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320UL ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffUL;
}

static size_t
put_chunk(unsigned char *out, const char type[4], const void *data, size_t n)
{
	unsigned long c;

	out[0] = (unsigned char)(n >> 24);
	out[1] = (unsigned char)(n >> 16);
	out[2] = (unsigned char)(n >> 8);
	out[3] = (unsigned char)n;
	memcpy(out + 4, type, 4);
	memcpy(out + 8, data, n);
	c = crc32_of(out + 4, n + 4);
	out[8 + n] = (unsigned char)(c >> 24);
	out[9 + n] = (unsigned char)(c >> 16);
	out[10 + n] = (unsigned char)(c >> 8);
	out[11 + n] = (unsigned char)c;
	return n + 12;
}

static unsigned char px[16 * 12 * 3];

/* a 16x12 picture as a PNG, with a tEXt and a tIME chunk after IHDR and
 * TRAILER after IEND (malloc'd) */
static unsigned char *
png_with_metadata(const char *trailer, size_t *len)
{
	static const char text[] = "Comment\0GPS 47.3769N 8.5417E owner=alice@example.test";
	static const unsigned char when[7] = { 0x07, 0xe8, 1, 2, 3, 4, 5 };
	unsigned char *plain, *out;
	size_t n, o;

	for (size_t i = 0; i < sizeof px; i++)
		px[i] = (unsigned char)(i * 7 + i / 48);
	ck_assert_int_eq(vault_png(px, 16, 12, &plain, &n), 0);
	ck_assert_ptr_nonnull(out = malloc(n + 512));
	o = 8 + 25; /* signature, IHDR */
	memcpy(out, plain, o);
	o += put_chunk(out + o, "tEXt", text, sizeof text - 1);
	o += put_chunk(out + o, "tIME", when, sizeof when);
	memcpy(out + o, plain + 33, n - 33);
	o += n - 33;
	memcpy(out + o, trailer, strlen(trailer));
	o += strlen(trailer);
	free(plain);
	*len = o;
	return out;
}

static int
has(const unsigned char *p, size_t n, const char *s)
{
	return memmem(p, n, s, strlen(s)) != NULL;
}

START_TEST(valid_seal_and_unseal_round_trip)
{
	static const size_t sizes[] = { 0, 1, 4096, 1 << 20 };
	struct app a;
	char ad[200];

	fx_app_open_nodb(&a);
	vault_ad(ad, sizeof ad, 42, "operator_email", SHA);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = malloc(sizes[i] + 1), *box;
		size_t len;
		fx_random(p, sizes[i] + 1);
		box = sealed(&a, p, sizes[i], ad, &len);
		ck_assert_msg(opens_to(&a, box, len, ad, p, sizes[i]), "size %zu", sizes[i]);
		/* the plaintext is not in the box */
		if (sizes[i] >= 16)
			ck_assert_ptr_null(memmem(box, len, p, 16));
		free(box);
		free(p);
	}
	fx_app_close(&a);
}
END_TEST

START_TEST(valid_every_seal_is_fresh)
{
	struct app a;
	char ad[200];
	const char *msg = "the same file twice";
	unsigned char *b1, *b2;
	size_t n1, n2;

	fx_app_open_nodb(&a);
	vault_ad(ad, sizeof ad, 42, "operator_email", SHA);
	b1 = sealed(&a, msg, strlen(msg), ad, &n1);
	b2 = sealed(&a, msg, strlen(msg), ad, &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert_int_ne(memcmp(b1, b2, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES), 0); /* a random nonce each */
	ck_assert_int_ne(memcmp(b1, b2, n1), 0);
	ck_assert(opens_to(&a, b1, n1, ad, msg, strlen(msg)));
	ck_assert(opens_to(&a, b2, n2, ad, msg, strlen(msg)));
	free(b1);
	free(b2);
	fx_app_close(&a);
}
END_TEST

START_TEST(valid_associated_data_names_the_row)
{
	char ad[200];

	vault_ad(ad, sizeof ad, 42, "counterparty_tx", SHA);
	ck_assert_str_eq(ad, "rekey-evidence|case:42|counterparty_tx|" SHA);
	vault_identity_ad(ad, sizeof ad, 7);
	ck_assert_str_eq(ad, "rekey-idphoto|account:7");
}
END_TEST

START_TEST(valid_canonical_png_keeps_the_picture)
{
	unsigned char *in, *out = NULL, *dec;
	size_t n, m = 0;
	int w, h, comp;

	in = png_with_metadata("", &n);
	ck_assert_int_eq(vault_canonical_png(in, n, &out, &m), 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(memcmp(out, "\x89PNG\r\n\x1a\n", 8), 0);
	ck_assert_ptr_nonnull(dec = stbi_load_from_memory(out, (int)m, &w, &h, &comp, 3));
	ck_assert_int_eq(w, 16);
	ck_assert_int_eq(h, 12);
	ck_assert_int_eq(memcmp(dec, px, sizeof px), 0);
	stbi_image_free(dec);
	free(out);
	free(in);
}
END_TEST

struct membuf {
	unsigned char p[1 << 16];
	size_t n;
};

static void
mem_put(void *ctx, void *data, int size)
{
	struct membuf *m = ctx;
	ck_assert_uint_le(m->n + (size_t)size, sizeof m->p);
	memcpy(m->p + m->n, data, (size_t)size);
	m->n += (size_t)size;
}

START_TEST(valid_canonical_png_of_a_jpeg)
{
	static struct membuf jpg;
	unsigned char *out = NULL, *dec, *orig;
	size_t m = 0;
	int w, h, comp;

	memset(px, 0x80, sizeof px);
	ck_assert_int_ne(stbi_write_jpg_to_func(mem_put, &jpg, 16, 12, 3, px, 90), 0);
	ck_assert_int_eq(vault_canonical_png(jpg.p, jpg.n, &out, &m), 0);
	ck_assert_int_eq(memcmp(out, "\x89PNG\r\n\x1a\n", 8), 0);
	ck_assert_ptr_nonnull(dec = stbi_load_from_memory(out, (int)m, &w, &h, &comp, 3));
	ck_assert_int_eq(w, 16);
	ck_assert_int_eq(h, 12);
	/* the JPEG's decoded pixels, kept losslessly */
	ck_assert_ptr_nonnull(orig = stbi_load_from_memory(jpg.p, (int)jpg.n, &w, &h, &comp, 3));
	ck_assert_int_eq(memcmp(dec, orig, 16 * 12 * 3), 0);
	stbi_image_free(orig);
	stbi_image_free(dec);
	free(out);
}
END_TEST

static unsigned char *
load_corpus(const char *name, size_t *n)
{
	char path[300];
	FILE *f;
	unsigned char *b;
	long len;
	snprintf(path, sizeof path, "tests/vectors/image/corpus/%s", name);
	ck_assert_msg((f = fopen(path, "rb")) != NULL, "missing %s (run from the repository root)", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	ck_assert_int_ge(len = ftell(f), 1);
	rewind(f);
	ck_assert_ptr_nonnull(b = malloc((size_t)len));
	*n = fread(b, 1, (size_t)len, f);
	ck_assert_uint_eq(*n, (size_t)len);
	fclose(f);
	return b;
}

/* A PNG that strict decoders take too (stb_image skips the zlib stream's
 * Adler-32): the core's walk (chunk CRCs, IHDR), then the IDAT data
 * inflated by libdeflate, which checks the Adler-32 and the exact length:
 * one filter byte and w*3 bytes a row (PNG 11.2.4, RFC 1950 §2.2) */
static void
assert_strict_png(const unsigned char *p, size_t n, unsigned w, unsigned h)
{
	struct image_info info;
	struct problems ps = { 0, { 0 } };
	struct libdeflate_decompressor *d;
	size_t raw_len = (size_t)h * (1 + (size_t)w * 3), got = 0, zn = 0, o = 8;
	unsigned char *z, *raw;

	image_walk(p, n, &info, &ps);
	ck_assert_uint_eq(ps.n, 0);
	ck_assert_uint_eq(info.width, w);
	ck_assert_uint_eq(info.height, h);
	ck_assert_ptr_nonnull(z = malloc(n));
	ck_assert_ptr_nonnull(raw = malloc(raw_len));
	while (o + 12 <= n) {
		size_t l = (size_t)p[o] << 24 | (size_t)p[o + 1] << 16 | (size_t)p[o + 2] << 8 | p[o + 3];
		if (memcmp(p + o + 4, "IDAT", 4) == 0) {
			memcpy(z + zn, p + o + 8, l);
			zn += l;
		}
		o += 12 + l;
	}
	ck_assert_ptr_nonnull(d = libdeflate_alloc_decompressor());
	ck_assert_int_eq(libdeflate_zlib_decompress(d, z, zn, raw, raw_len, &got), LIBDEFLATE_SUCCESS);
	ck_assert_uint_eq(got, raw_len);
	libdeflate_free_decompressor(d);
	free(raw);
	free(z);
}

/* issue #21: the canonical copy an upload keeps is vault_png of the pixels
 * image_check_rgb decoded (libdeflate's compressor, no row filter); it
 * decodes to exactly those pixels, for screenshots of every kind (8-bit RGB,
 * gray, dark, a JPEG, a camera frame) */
START_TEST(valid_canonical_png_of_the_checked_pixels_decodes_to_them)
{
	static const char *const files[] = { "email-1080x2400.png", "tx-720x1280.png", "tx-gray.png", "tx-dark.png",
		"screen-640x480.png", "screen-640x480.jpg", "camera-640x480.png", "email-540x1200-scaled.png" };
	struct image_policy pol;

	image_policy_default(&pol);
	pol.min_contrast = pol.min_highlight = pol.min_sharpness = 0; /* the pixels, not the verdict */
	for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
		size_t n, m = 0;
		unsigned char *b = load_corpus(files[k], &n), *out = NULL, *dec;
		struct image_result r;
		struct problems ps = { 0, { 0 } };
		struct image_rgb c;
		int w, h, comp;
		image_check_rgb(b, n, &pol, &r, &ps, &c);
		ck_assert_msg(ps.n == 0 && c.px != NULL, "%s: checked", files[k]);
		ck_assert_int_eq(vault_png(c.px, (int)c.width, (int)c.height, &out, &m), 0);
		ck_assert_ptr_nonnull(dec = stbi_load_from_memory(out, (int)m, &w, &h, &comp, 3));
		ck_assert_msg((unsigned)w == c.width && (unsigned)h == c.height, "%s: size", files[k]);
		ck_assert_msg(memcmp(dec, c.px, (size_t)w * (size_t)h * 3) == 0, "%s: the same pixels", files[k]);
		assert_strict_png(out, m, c.width, c.height);
		/* and vault_canonical_png (rekeyctl's path) makes the same file */
		{
			unsigned char *out2 = NULL;
			size_t m2 = 0;
			ck_assert_int_eq(vault_canonical_png(b, n, &out2, &m2), 0);
			ck_assert_msg(m2 == m && memcmp(out2, out, m) == 0, "%s: one canonical file", files[k]);
			free(out2);
		}
		stbi_image_free(dec);
		image_rgb_free(&c);
		free(out);
		free(b);
	}
}
END_TEST

/* the encoder's level is libdeflate's (1..12): one out of that range is
 * libdeflate's default, not a failed encode, and every level in it writes
 * a PNG of the same pixels */
START_TEST(wrong_png_level_out_of_range_is_the_default)
{
	static const int levels[] = { STB_WRITE_LEVEL, -5, 0, 1, 12, 13, 99 };
	unsigned char pic[40 * 30 * 3];
	size_t def_len = 0;

	for (size_t i = 0; i < sizeof pic; i++)
		pic[i] = (unsigned char)(i % 97 < 60 ? 255 : i * 13);
	for (size_t k = 0; k < sizeof levels / sizeof *levels; k++) {
		static struct membuf png;
		unsigned char *dec;
		int w, h, comp;
		png.n = 0;
		stbi_write_png_compression_level = levels[k];
		stbi_write_force_png_filter = 0;
		ck_assert_msg(stbi_write_png_to_func(mem_put, &png, 40, 30, 3, pic, 40 * 3) != 0, "level %d", levels[k]);
		ck_assert_ptr_nonnull(dec = stbi_load_from_memory(png.p, (int)png.n, &w, &h, &comp, 3));
		ck_assert_int_eq(memcmp(dec, pic, sizeof pic), 0);
		assert_strict_png(png.p, png.n, 40, 30);
		stbi_image_free(dec);
		if (levels[k] == STB_WRITE_LEVEL)
			def_len = png.n;
		else if (levels[k] < 1 || levels[k] > 12)
			ck_assert_msg(def_len == 0 || png.n == def_len, "level %d: the default's size", levels[k]);
	}
	ck_assert_uint_gt(def_len, 0);
}
END_TEST

START_TEST(wrong_associated_data_is_refused)
{
	struct app a;
	char ad[200], other[200];
	const char *msg = "a screenshot of a withdrawal";
	unsigned char *box;
	size_t n;

	fx_app_open_nodb(&a);
	vault_ad(ad, sizeof ad, 42, "counterparty_tx", SHA);
	box = sealed(&a, msg, strlen(msg), ad, &n);
	/* another case, another kind, another file, the identity photo's, none */
	vault_ad(other, sizeof other, 43, "counterparty_tx", SHA);
	ck_assert(!opens_to(&a, box, n, other, msg, strlen(msg)));
	vault_ad(other, sizeof other, 42, "operator_email", SHA);
	ck_assert(!opens_to(&a, box, n, other, msg, strlen(msg)));
	vault_ad(other, sizeof other, 42, "counterparty_tx", SHA_OTHER);
	ck_assert(!opens_to(&a, box, n, other, msg, strlen(msg)));
	vault_identity_ad(other, sizeof other, 42);
	ck_assert(!opens_to(&a, box, n, other, msg, strlen(msg)));
	ck_assert(!opens_to(&a, box, n, "", msg, strlen(msg)));
	/* and the right one still opens it */
	ck_assert(opens_to(&a, box, n, ad, msg, strlen(msg)));
	free(box);
	fx_app_close(&a);
}
END_TEST

START_TEST(wrong_identity_photo_account_is_refused)
{
	struct app a;
	char ad[200], other[200];
	const char *msg = "an identity photo";
	unsigned char *box;
	size_t n;

	fx_app_open_nodb(&a);
	vault_identity_ad(ad, sizeof ad, 7);
	box = sealed(&a, msg, strlen(msg), ad, &n);
	vault_identity_ad(other, sizeof other, 8);
	ck_assert(!opens_to(&a, box, n, other, msg, strlen(msg)));
	vault_ad(other, sizeof other, 7, "face_frame", SHA);
	ck_assert(!opens_to(&a, box, n, other, msg, strlen(msg)));
	free(box);
	fx_app_close(&a);
}
END_TEST

START_TEST(junk_tampered_box_is_refused)
{
	struct app a;
	char ad[200];
	const char *msg = "a screenshot of an operator email";
	unsigned char *box, *longer;
	size_t n;
	size_t at[3];

	fx_app_open_nodb(&a);
	vault_ad(ad, sizeof ad, 42, "operator_email", SHA);
	box = sealed(&a, msg, strlen(msg), ad, &n);
	/* one bit anywhere: in the nonce, the ciphertext, the tag */
	at[0] = 0;
	at[1] = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + 3;
	at[2] = n - 1;
	for (int i = 0; i < 3; i++) {
		box[at[i]] ^= 0x01;
		ck_assert_msg(!opens_to(&a, box, n, ad, msg, strlen(msg)), "byte %zu", at[i]);
		box[at[i]] ^= 0x01;
	}
	/* a byte more */
	ck_assert_ptr_nonnull(longer = malloc(n + 1));
	memcpy(longer, box, n);
	longer[n] = 0;
	ck_assert(!opens_to(&a, longer, n + 1, ad, msg, strlen(msg)));
	free(longer);
	ck_assert(opens_to(&a, box, n, ad, msg, strlen(msg)));
	free(box);
	fx_app_close(&a);
}
END_TEST

START_TEST(junk_short_box_is_refused)
{
	struct app a;
	char ad[200];
	const char *msg = "x";
	unsigned char *box, zeros[OVERHEAD] = { 0 };
	size_t n, len;

	fx_app_open_nodb(&a);
	vault_ad(ad, sizeof ad, 42, "operator_email", SHA);
	box = sealed(&a, msg, 1, ad, &n);
	for (size_t k = 0; k < n; k++)
		ck_assert_msg(!opens_to(&a, box, k, ad, msg, 1), "the first %zu bytes opened", k);
	/* shorter than nonce and tag: refused before any arithmetic on the length */
	ck_assert_ptr_null(vault_unseal(&a, 1, zeros, 0, ad, &len));
	ck_assert_ptr_null(vault_unseal(&a, 1, zeros, OVERHEAD - 1, ad, &len));
	ck_assert_ptr_null(vault_unseal(&a, 1, zeros, OVERHEAD, ad, &len));
	free(box);
	fx_app_close(&a);
}
END_TEST

START_TEST(wrong_key_is_refused)
{
	struct app a, b;
	char ad[200];
	const char *msg = "sealed under one server key";
	unsigned char *box;
	size_t n;

	fx_app_open_nodb(&a);
	fx_app_open_nodb(&b);
	vault_ad(ad, sizeof ad, 42, "operator_email", SHA);
	box = sealed(&a, msg, strlen(msg), ad, &n);
	ck_assert(!opens_to(&b, box, n, ad, msg, strlen(msg)));
	free(box);
	fx_app_close(&a);
	fx_app_close(&b);
}
END_TEST

START_TEST(junk_canonical_png_strips_metadata)
{
	unsigned char *in, *out = NULL;
	size_t n, m = 0, o = 8;

	in = png_with_metadata("", &n);
	/* the input carries them (and still decodes) */
	ck_assert(has(in, n, "tEXt") && has(in, n, "tIME") && has(in, n, "GPS 47.3769N"));
	ck_assert_int_eq(vault_canonical_png(in, n, &out, &m), 0);
	ck_assert(!has(out, m, "tEXt"));
	ck_assert(!has(out, m, "tIME"));
	ck_assert(!has(out, m, "GPS"));
	ck_assert(!has(out, m, "alice"));
	/* only IHDR, IDAT and IEND, and nothing after IEND */
	for (;;) {
		size_t len;
		ck_assert_uint_le(o + 12, m);
		len = (size_t)out[o] << 24 | (size_t)out[o + 1] << 16 | (size_t)out[o + 2] << 8 | out[o + 3];
		ck_assert_msg(memcmp(out + o + 4, "IHDR", 4) == 0 || memcmp(out + o + 4, "IDAT", 4) == 0 ||
		    memcmp(out + o + 4, "IEND", 4) == 0, "chunk %.4s", (const char *)out + o + 4);
		if (memcmp(out + o + 4, "IEND", 4) == 0) {
			ck_assert_uint_eq(o + 12 + len, m);
			break;
		}
		o += 12 + len;
	}
	free(out);
	free(in);
}
END_TEST

START_TEST(junk_canonical_png_drops_a_payload_after_iend)
{
	unsigned char *in, *out = NULL;
	size_t n, m = 0;

	/* a polyglot: a PNG with a ZIP (or a script) after its end */
	in = png_with_metadata("PK\x03\x04<script>alert(1)</script>", &n);
	ck_assert_int_eq(vault_canonical_png(in, n, &out, &m), 0);
	ck_assert(!has(out, m, "PK\x03\x04"));
	ck_assert(!has(out, m, "<script>"));
	ck_assert_int_eq(memcmp(out + m - 8, "IEND\xae\x42\x60\x82", 8), 0);
	free(out);
	free(in);
}
END_TEST

START_TEST(junk_canonical_png_refuses_what_is_no_image)
{
	static const char *const junk[] = { "", "not an image at all", "GIF89a\x01\x00\x01\x00\x00\x00\x00",
	    "\x89PNG\r\n\x1a\n" };
	unsigned char *in, *out = (unsigned char *)1;
	size_t n, m = 99;

	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		out = (unsigned char *)1;
		m = 99;
		ck_assert_int_eq(vault_canonical_png((const unsigned char *)junk[i], strlen(junk[i]), &out, &m), -1);
		ck_assert_ptr_null(out);
		ck_assert_uint_eq(m, 0);
	}
	/* a PNG cut in half */
	in = png_with_metadata("", &n);
	ck_assert_int_eq(vault_canonical_png(in, n / 2, &out, &m), -1);
	ck_assert_ptr_null(out);
	free(in);
}
END_TEST

/* ---- the vault's key ring (base/keys.c): rotate, retire, a file changed under a running process ---- */

/* A ring file path in a fresh private folder (the file itself not made) */
static void
ring_path(char *out, size_t outlen)
{
	char tmpl[] = "/tmp/check_vault.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(out, outlen, "%s/secret.key.vault", tmpl);
}

static void
ring_app(struct app *a, const char *path, const unsigned char master_evidence[32])
{
	char err[400];
	fx_app_open_nodb(a);
	if (master_evidence)
		memcpy(a->keys.evidence, master_evidence, 32);
	ck_assert_msg(keys_vault_load(&a->keys, path, err, sizeof err) == 0, "%s", err);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(valid_no_ring_file_is_key_1)
{
	struct app a;
	char path[300], ad[200];
	int id = 0;
	size_t n, len;
	unsigned char *box, *out;

	ring_path(path, sizeof path);
	ring_app(&a, path, NULL);
	vault_ad(ad, sizeof ad, 1, "operator_email", SHA);
	ck_assert_ptr_nonnull(box = vault_seal(&a, (const unsigned char *)"x", 1, ad, &n, &id));
	ck_assert_int_eq(id, 1);
	ck_assert_ptr_nonnull(out = vault_unseal(&a, 1, box, n, ad, &len));
	free(out);
	/* a key id the ring does not hold opens nothing */
	ck_assert_ptr_null(vault_unseal(&a, 2, box, n, ad, &len));
	ck_assert_ptr_null(vault_unseal(&a, 0, box, n, ad, &len));
	free(box);
	fx_app_close(&a);
}
END_TEST

START_TEST(valid_rotated_key_seals_everything_new)
{
	struct app a;
	char path[300], ad[200], err[400];
	int id = 0, newid = 0;
	size_t n1, n2, len;
	unsigned char *old, *box, *out;

	ring_path(path, sizeof path);
	ring_app(&a, path, NULL);
	vault_ad(ad, sizeof ad, 1, "operator_email", SHA);
	ck_assert_ptr_nonnull(old = vault_seal(&a, (const unsigned char *)"old", 3, ad, &n1, &id));
	ck_assert_int_eq(keys_vault_rotate(&a.keys, &newid, err, sizeof err), 0);
	ck_assert_int_eq(newid, 2);
	ck_assert_ptr_nonnull(box = vault_seal(&a, (const unsigned char *)"new", 3, ad, &n2, &id));
	ck_assert_int_eq(id, 2);
	/* each opens under its own key only */
	ck_assert_ptr_nonnull(out = vault_unseal(&a, 2, box, n2, ad, &len));
	free(out);
	ck_assert_ptr_null(vault_unseal(&a, 1, box, n2, ad, &len));
	ck_assert_ptr_nonnull(out = vault_unseal(&a, 1, old, n1, ad, &len));
	free(out);
	ck_assert_ptr_null(vault_unseal(&a, 2, old, n1, ad, &len));
	/* and again: ids go up, never reused */
	ck_assert_int_eq(keys_vault_rotate(&a.keys, &newid, err, sizeof err), 0);
	ck_assert_int_eq(newid, 3);
	free(old);
	free(box);
	fx_app_close(&a);
}
END_TEST

START_TEST(valid_running_process_sees_a_rotation)
{
	/* "rekeyd" loaded the ring before "rekeyctl" rotated it: its next seal uses the new key,
	 * and it opens what the other sealed under it */
	struct app srv, ctl;
	unsigned char evk[32];
	char path[300], ad[200], err[400];
	int id = 0, newid = 0;
	size_t n, len;
	unsigned char *box, *out;

	fx_random(evk, sizeof evk);
	ring_path(path, sizeof path);
	ring_app(&srv, path, evk);
	ring_app(&ctl, path, evk);
	vault_ad(ad, sizeof ad, 1, "operator_email", SHA);
	ck_assert_int_eq(keys_vault_rotate(&ctl.keys, &newid, err, sizeof err), 0);
	ck_assert_ptr_nonnull(box = vault_seal(&ctl, (const unsigned char *)"resealed", 8, ad, &n, &id));
	ck_assert_int_eq(id, newid);
	ck_assert_ptr_nonnull(out = vault_unseal(&srv, newid, box, n, ad, &len));
	free(out);
	free(box);
	ck_assert_ptr_nonnull(box = vault_seal(&srv, (const unsigned char *)"upload", 6, ad, &n, &id));
	ck_assert_int_eq(id, newid);
	free(box);
	fx_app_close(&srv);
	fx_app_close(&ctl);
}
END_TEST

START_TEST(wrong_retired_key_opens_nothing)
{
	struct app a, b;
	char path[300], ad[200], err[400];
	int id = 0, newid = 0;
	size_t n, len;
	unsigned char *box, evk[32];

	fx_random(evk, sizeof evk);
	ring_path(path, sizeof path);
	ring_app(&a, path, evk);
	vault_ad(ad, sizeof ad, 1, "operator_email", SHA);
	ck_assert_ptr_nonnull(box = vault_seal(&a, (const unsigned char *)"old", 3, ad, &n, &id));
	ck_assert_int_eq(keys_vault_rotate(&a.keys, &newid, err, sizeof err), 0);
	/* the current key cannot go */
	ck_assert_int_eq(keys_vault_remove(&a.keys, newid, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "current"));
	/* nor one the ring does not hold */
	ck_assert_int_eq(keys_vault_remove(&a.keys, 7, err, sizeof err), -1);
	ck_assert_int_eq(keys_vault_remove(&a.keys, 1, err, sizeof err), 0);
	ck_assert_ptr_null(vault_unseal(&a, 1, box, n, ad, &len));
	/* nor in another process reading the same file */
	ring_app(&b, path, evk);
	ck_assert_ptr_null(vault_unseal(&b, 1, box, n, ad, &len));
	ck_assert_int_eq(b.keys.vault->n, 1);
	ck_assert_int_eq(b.keys.vault->current, newid);
	free(box);
	fx_app_close(&a);
	fx_app_close(&b);
}
END_TEST

START_TEST(valid_each_use_has_its_own_key)
{
	/* key 1 is the server key's subkeys as before (evidence 8, TOTP secrets 5);
	 * a rotated key gives each use a subkey of its own */
	struct app a;
	char path[300], err[400];
	int id = 0;
	const unsigned char *ev, *totp;

	ring_path(path, sizeof path);
	ring_app(&a, path, NULL);
	randombytes_buf(a.keys.seal, sizeof a.keys.seal);
	ck_assert_int_eq(keys_vault_load(&a.keys, path, err, sizeof err), 0);
	ck_assert_int_eq(memcmp(keys_vault_key(&a.keys, KEYS_USE_EVIDENCE, 1), a.keys.evidence, 32), 0);
	ck_assert_int_eq(memcmp(keys_vault_key(&a.keys, KEYS_USE_TOTP, 1), a.keys.seal, 32), 0);
	ck_assert_int_eq(keys_vault_rotate(&a.keys, &id, err, sizeof err), 0);
	ck_assert_ptr_nonnull(ev = keys_vault_current(&a.keys, KEYS_USE_EVIDENCE, &id));
	ck_assert_ptr_nonnull(totp = keys_vault_current(&a.keys, KEYS_USE_TOTP, &id));
	ck_assert_int_eq(id, 2);
	ck_assert_int_ne(memcmp(ev, totp, 32), 0);
	ck_assert_int_ne(memcmp(ev, a.keys.evidence, 32), 0);
	ck_assert_int_ne(memcmp(totp, a.keys.seal, 32), 0);
	/* the raw key in the file is neither */
	ck_assert_int_ne(memcmp(ev, a.keys.vault->key[1], 32), 0);
	ck_assert_int_ne(memcmp(totp, a.keys.vault->key[1], 32), 0);
	fx_app_close(&a);
}
END_TEST

START_TEST(junk_ring_file_is_refused)
{
	static const char *const junk[] = {
		"1 derived\n",                                      /* no current */
		"1 derived\ncurrent 2\n",                           /* current not in the ring */
		"2 derived\ncurrent 2\n",                           /* only key 1 is derived */
		"1 derived\n1 derived\ncurrent 1\n",                /* an id twice */
		"1 derived\n2 c2hvcnQ\ncurrent 2\n",                /* not 32 bytes */
		"1 derived\ncurrent 1\ncurrent 1\n",                /* current twice */
		"1 derived extra\ncurrent 1\n",                     /* a third field */
		"x derived\ncurrent 1\n",                           /* not an id */
		"0 derived\ncurrent 0\n",                           /* ids start at 1 */
		"",                                                 /* empty */
	};
	char path[300], err[400];
	struct app a;
	int id;
	unsigned char *box;
	size_t n;

	ring_path(path, sizeof path);
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		write_file(path, junk[i]);
		fx_app_open_nodb(&a);
		ck_assert_msg(keys_vault_load(&a.keys, path, err, sizeof err) == -1, "accepted: %s", junk[i]);
		/* and nothing seals while the file is wrong */
		ck_assert_ptr_null(box = vault_seal(&a, (const unsigned char *)"x", 1, "ad", &n, &id));
		fx_app_close(&a);
	}
	write_file(path, "# a comment\n1 derived\ncurrent 1\n");
	fx_app_open_nodb(&a);
	ck_assert_int_eq(keys_vault_load(&a.keys, path, err, sizeof err), 0);
	fx_app_close(&a);
}
END_TEST

RUN_STORE_SUITE("vault", valid_seal_and_unseal_round_trip, valid_every_seal_is_fresh, valid_associated_data_names_the_row,
    valid_canonical_png_keeps_the_picture, valid_canonical_png_of_a_jpeg, valid_canonical_png_of_the_checked_pixels_decodes_to_them,
    wrong_png_level_out_of_range_is_the_default, wrong_associated_data_is_refused,
    wrong_identity_photo_account_is_refused, junk_tampered_box_is_refused, junk_short_box_is_refused, wrong_key_is_refused,
    junk_canonical_png_strips_metadata, junk_canonical_png_drops_a_payload_after_iend, junk_canonical_png_refuses_what_is_no_image,
    valid_no_ring_file_is_key_1, valid_rotated_key_seals_everything_new, valid_running_process_sees_a_rotation,
    wrong_retired_key_opens_nothing, valid_each_use_has_its_own_key, junk_ring_file_is_refused)
