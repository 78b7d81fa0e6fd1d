/* store/vault.c -- the evidence vault: files sealed at rest with XChaCha20-Poly1305
 * (the case, kind and hash as associated data), canonical PNGs without metadata. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include <zlib.h>
#include "../../wasm/image.h"
/* stb_image's decoder is the core's (wasm/image.c builds it into libcore);
 * the PNG writer is base/stb_write.c */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wundef"
#pragma GCC diagnostic ignored "-Wconversion"
#include <stb_image.h>
#include <stb_image_write.h>
#pragma GCC diagnostic pop

#define SEAL_OVERHEAD (crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)

/* nonce || ciphertext || tag; the associated data names the row */
unsigned char *
vault_seal(const struct app *a, const unsigned char *p, size_t n, const char *ad, size_t *outlen)
{
	unsigned char *out = malloc(n + SEAL_OVERHEAD);
	unsigned long long cl;

	if (out == NULL)
		return NULL;
	randombytes_buf(out, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &cl, p, n,
	    (const unsigned char *)ad, strlen(ad), NULL, out, a->keys.evidence);
	*outlen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + (size_t)cl;
	return out;
}

/* The plaintext (malloc'd), or NULL when the box or its associated data is wrong. */
unsigned char *
vault_unseal(const struct app *a, const unsigned char *box, size_t n, const char *ad, size_t *outlen)
{
	unsigned char *out;
	unsigned long long ml;

	if (n < SEAL_OVERHEAD || (out = malloc(n - SEAL_OVERHEAD + 1)) == NULL)
		return NULL;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &ml, NULL, box + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    n - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, (const unsigned char *)ad, strlen(ad), box, a->keys.evidence) != 0) {
		free(out);
		return NULL;
	}
	*outlen = (size_t)ml;
	return out;
}

/* The associated data of an evidence file: its case, kind and the original's SHA-256 */
void
vault_ad(char *out, size_t outlen, uint64_t case_id, const char *kind, const char *shahex)
{
	snprintf(out, outlen, "rekey-evidence|case:%llu|%s|%s", (unsigned long long)case_id, kind, shahex);
}

/* ... and of the identity photo on file */
void
vault_identity_ad(char *out, size_t outlen, uint64_t account)
{
	snprintf(out, outlen, "rekey-idphoto|account:%llu", (unsigned long long)account);
}

struct membuf {
	unsigned char *p;
	size_t n, cap;
	int oom;
};

static void
mem_write(void *ctx, void *data, int size)
{
	struct membuf *m = ctx;
	if (m->oom || size < 0)
		return;
	if (m->n + (size_t)size > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1 << 16;
		unsigned char *np;
		while (cap < m->n + (size_t)size)
			cap *= 2;
		if ((np = realloc(m->p, cap)) == NULL) {
			m->oom = 1;
			return;
		}
		m->p = np;
		m->cap = cap;
	}
	memcpy(m->p + m->n, data, (size_t)size);
	m->n += (size_t)size;
}

/* RGB pixels as a PNG (malloc'd in *out) */
int
vault_png(const unsigned char *rgb, int w, int h, unsigned char **out, size_t *outlen)
{
	struct membuf m = { 0 };
	int ok;

	/* screenshots are flat colour: no row filter (stb's adaptive choice
	 * tries all five per row, and costs more than it saves here), and
	 * zlib's deflate at level 3 (base/stb_write.c; issue #21, measured by
	 * build/bench_png on the 1080x2400 corpus screenshot: stb's own deflate
	 * at level 5 took ~56 ms for 177 KB, zlib at 3 takes a few ms for 137
	 * KB; level 6 is smaller still but several times slower) */
	stbi_write_force_png_filter = 0;
	stbi_write_png_compression_level = 3;
	stb_write_zlib_strategy = Z_DEFAULT_STRATEGY;
	ok = stbi_write_png_to_func(mem_write, &m, w, h, 3, rgb, w * 3);
	if (!ok || m.oom) {
		free(m.p);
		return -1;
	}
	*out = m.p;
	*outlen = m.n;
	return 0;
}

/* A PNG re-encoded from the decoded pixels: no metadata, no trailing data. */
int
vault_canonical_png(const unsigned char *p, size_t n, unsigned char **out, size_t *outlen)
{
	int w, h, comp, rc;
	unsigned char *px = stbi_load_from_memory(p, (int)n, &w, &h, &comp, 3);

	*out = NULL;
	*outlen = 0;
	if (px == NULL)
		return -1;
	rc = vault_png(px, w, h, out, outlen);
	stbi_image_free(px);
	return rc;
}
