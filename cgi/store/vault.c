/* store/vault.c -- the evidence vault: files sealed at rest with XChaCha20-Poly1305
 * (the case, kind and hash as associated data), canonical PNGs without metadata. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
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

/* nonce || ciphertext || tag, under the vault's current key (its id into
 * *key_id, to store beside the box); the associated data names the row */
unsigned char *
vault_seal(const struct app *a, const unsigned char *p, size_t n, const char *ad, size_t *outlen, int *key_id)
{
	const unsigned char *key = keys_vault_current(&a->keys, KEYS_USE_EVIDENCE, key_id);
	unsigned char *out;
	unsigned long long cl;

	if (key == NULL || (out = malloc(n + SEAL_OVERHEAD)) == NULL)
		return NULL;
	randombytes_buf(out, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &cl, p, n,
	    (const unsigned char *)ad, strlen(ad), NULL, out, key);
	*outlen = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + (size_t)cl;
	return out;
}

/* The plaintext (malloc'd), or NULL when the box or its associated data is
 * wrong, or key KEY_ID is not in the vault's ring (retired, never made). */
unsigned char *
vault_unseal(const struct app *a, int key_id, const unsigned char *box, size_t n, const char *ad, size_t *outlen)
{
	const unsigned char *key = keys_vault_key(&a->keys, KEYS_USE_EVIDENCE, key_id);
	unsigned char *out;
	unsigned long long ml;

	if (key == NULL || n < SEAL_OVERHEAD || (out = malloc(n - SEAL_OVERHEAD + 1)) == NULL)
		return NULL;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &ml, NULL, box + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    n - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, (const unsigned char *)ad, strlen(ad), box, key) != 0) {
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
	 * libdeflate at level 2 (base/stb_write.c; issue #21, measured by
	 * build/bench_png on the 1080x2400 corpus screenshot: stb's own deflate
	 * at level 5 took ~56 ms for 177 KB, zlib's at level 3 16.5 ms for 137
	 * KB, libdeflate's level 2 12-14 ms for 108 KB. Level 1 is as fast
	 * (faster on some screenshots, slower on this one) and 5-7% larger;
	 * 5 and 6 save another 3% for a fifth more time) */
	stbi_write_force_png_filter = 0;
	stbi_write_png_compression_level = 2;
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

/* ---- key rotation (rekeyctl keys; the keys themselves are base/keys.c's ring) ---- */

/* Opens one box with the key its row names and seals it again under KEY_ID
 * (the ring's current key): malloc'd, or NULL when it does not open. */
static unsigned char *
reseal_box(const struct app *a, int old_id, const unsigned char *box, size_t n, const char *ad, size_t *outlen, int *key_id)
{
	size_t pn;
	unsigned char *p = vault_unseal(a, old_id, box, n, ad, &pn), *out;

	if (p == NULL)
		return NULL;
	out = vault_seal(a, p, pn, ad, outlen, key_id);
	sodium_memzero(p, pn);
	free(p);
	return out;
}

/* One batch: up to LIMIT evidence rows, or when none is left identity
 * photos, then TOTP secrets, not under the current key, each opened and sealed again under it
 * and written back by an UPDATE that names the key it was under (a row
 * resealed meanwhile is left alone), all in one transaction. */
int
vault_reseal_batch(struct app *a, int limit, struct vault_reseal *st, char *why, size_t whylen)
{
	struct dbrows rows;
	int current = 0, rc;
	uint64_t aff;

	st->batch = 0;
	if (keys_vault_current(&a->keys, KEYS_USE_EVIDENCE, &current) == NULL) {
		snprintf(why, whylen, "the vault's key file is unreadable");
		return RK_FAIL;
	}
	if ((rc = db_begin(a->db)) != RK_OK)
		return rc;
	if (!st->evidence_done) {
		if ((rc = db_query(a->db, STMT_VAULT_EVIDENCE_BATCH, DBARGS(DB_I(current), DB_I(0), DB_I(limit)), &rows)) != RK_OK)
			return rc;
		if (rows.nrows == 0)
			st->evidence_done = 1;
		for (unsigned i = 0; i < rows.nrows && rc == RK_OK; i++) {
			uint64_t id = (uint64_t)db_cell_ll(&rows, i, 0);
			int old = (int)db_cell_ll(&rows, i, 4), k1 = 0, k2 = 0;
			size_t ol, cl, n1, n2;
			const unsigned char *ob = (const unsigned char *)db_cell(&rows, i, 5, &ol);
			const unsigned char *cb = (const unsigned char *)db_cell(&rows, i, 6, &cl);
			unsigned char *o2, *c2;
			char ad[200];

			vault_ad(ad, sizeof ad, (uint64_t)db_cell_ll(&rows, i, 1), db_cell(&rows, i, 2, NULL), db_cell(&rows, i, 3, NULL));
			o2 = reseal_box(a, old, ob, ol, ad, &n1, &k1);
			c2 = reseal_box(a, old, cb, cl, ad, &n2, &k2);
			if (o2 == NULL || c2 == NULL || k1 != current || k2 != current) {
				snprintf(why, whylen, "evidence %llu does not open under key %d", (unsigned long long)id, old);
				rc = RK_FAIL;
			} else if ((rc = db_exec(a->db, STMT_VAULT_EVIDENCE_RESEAL, DBARGS(DB_I(current), DB_B(o2, n1), DB_B(c2, n2),
			    DB_I(id), DB_I(old)), &aff, NULL)) == RK_OK && aff == 1) {
				st->batch++;
			}
			free(o2);
			free(c2);
		}
	} else if (!st->photos_done) {
		if ((rc = db_query(a->db, STMT_VAULT_IDPHOTO_BATCH, DBARGS(DB_I(current), DB_I(0), DB_I(limit)), &rows)) != RK_OK)
			return rc;
		if (rows.nrows == 0)
			st->photos_done = 1;
		for (unsigned i = 0; i < rows.nrows && rc == RK_OK; i++) {
			uint64_t account = (uint64_t)db_cell_ll(&rows, i, 0);
			int old = (int)db_cell_ll(&rows, i, 1), k = 0;
			size_t bl, n;
			const unsigned char *box = (const unsigned char *)db_cell(&rows, i, 2, &bl);
			unsigned char *b2;
			char ad[64];

			vault_identity_ad(ad, sizeof ad, account);
			if ((b2 = reseal_box(a, old, box, bl, ad, &n, &k)) == NULL || k != current) {
				snprintf(why, whylen, "the identity photo of account %llu does not open under key %d", (unsigned long long)account, old);
				rc = RK_FAIL;
			} else if ((rc = db_exec(a->db, STMT_VAULT_IDPHOTO_RESEAL, DBARGS(DB_I(current), DB_B(b2, n), DB_I(account), DB_I(old)),
			    &aff, NULL)) == RK_OK && aff == 1) {
				st->batch++;
			}
			free(b2);
		}
	} else {
		/* TOTP secrets (secretbox, base/keys.c), under their own key of the same key id */
		const unsigned char *tkey = keys_vault_current(&a->keys, KEYS_USE_TOTP, &current);
		if ((rc = db_query(a->db, STMT_VAULT_TOTP_BATCH, DBARGS(DB_I(current), DB_I(0), DB_I(limit)), &rows)) != RK_OK)
			return rc;
		if (rows.nrows == 0)
			st->totp_done = 1;
		for (unsigned i = 0; i < rows.nrows && rc == RK_OK; i++) {
			uint64_t account = (uint64_t)db_cell_ll(&rows, i, 0);
			int old = (int)db_cell_ll(&rows, i, 1);
			const unsigned char *okey = keys_vault_key(&a->keys, KEYS_USE_TOTP, old);
			unsigned char secret[64], box[128];
			size_t bl, n = 0, boxlen = 0;
			const unsigned char *b = (const unsigned char *)db_cell(&rows, i, 2, &bl);

			if (tkey == NULL || okey == NULL || keys_open(okey, b, bl, secret, sizeof secret, &n) != 0 ||
			    keys_seal(tkey, secret, n, box, sizeof box, &boxlen) != 0) {
				snprintf(why, whylen, "the TOTP secret of account %llu does not open under key %d", (unsigned long long)account, old);
				rc = RK_FAIL;
			} else if ((rc = db_exec(a->db, STMT_VAULT_TOTP_RESEAL, DBARGS(DB_I(current), DB_B(box, boxlen), DB_I(account), DB_I(old)),
			    &aff, NULL)) == RK_OK && aff == 1) {
				st->batch++;
			}
			sodium_memzero(secret, sizeof secret);
		}
	}
	db_rows_free(&rows);
	if (rc == RK_OK)
		rc = db_commit(a->db);
	if (rc != RK_OK) {
		db_rollback(a->db);
		st->batch = 0;
		return rc;
	}
	st->resealed += st->batch;
	return RK_OK;
}

/* 1 when P starts as a PNG or a JPEG does (what the vault ever holds) */
static int
is_image(const unsigned char *p, size_t n)
{
	return (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) || (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0);
}

/* Every box opened with the key its row names: an evidence original must
 * hash to the row's SHA-256, a canonical copy and an identity photo must be
 * images, so a box sealed twice (or under the wrong key) is counted as bad. */
int
vault_verify(struct app *a, unsigned long long *good, unsigned long long *bad, char *first, size_t firstlen)
{
	struct dbrows rows;
	long long after = 0;
	int rc;

	*good = *bad = 0;
	first[0] = '\0';
	for (;;) {
		if ((rc = db_query(a->db, STMT_VAULT_EVIDENCE_ALL, DBARGS(DB_I(after), DB_I(100)), &rows)) != RK_OK)
			return rc;
		for (unsigned i = 0; i < rows.nrows; i++) {
			size_t ol, cl, n1 = 0, n2 = 0;
			const unsigned char *ob = (const unsigned char *)db_cell(&rows, i, 5, &ol);
			const unsigned char *cb = (const unsigned char *)db_cell(&rows, i, 6, &cl);
			int key = (int)db_cell_ll(&rows, i, 4);
			unsigned char *o, *c, sha[32];
			char ad[200], hex[65];

			after = db_cell_ll(&rows, i, 0);
			vault_ad(ad, sizeof ad, (uint64_t)db_cell_ll(&rows, i, 1), db_cell(&rows, i, 2, NULL), db_cell(&rows, i, 3, NULL));
			o = vault_unseal(a, key, ob, ol, ad, &n1);
			c = vault_unseal(a, key, cb, cl, ad, &n2);
			if (o != NULL)
				crypto_hash_sha256(sha, o, n1);
			if (o != NULL && c != NULL && is_image(c, n2) &&
			    strcmp(sodium_bin2hex(hex, sizeof hex, sha, 32), db_cell(&rows, i, 3, NULL)) == 0) {
				++*good;
			} else {
				if (++*bad == 1)
					snprintf(first, firstlen, "evidence %lld (key %d)", after, key);
			}
			free(o);
			free(c);
		}
		db_rows_free(&rows);
		if (rows.nrows < 100)
			break;
	}
	after = 0;
	for (;;) {
		if ((rc = db_query(a->db, STMT_VAULT_IDPHOTO_ALL, DBARGS(DB_I(after), DB_I(100)), &rows)) != RK_OK)
			return rc;
		for (unsigned i = 0; i < rows.nrows; i++) {
			size_t bl, n = 0;
			const unsigned char *box = (const unsigned char *)db_cell(&rows, i, 2, &bl);
			int key = (int)db_cell_ll(&rows, i, 1);
			unsigned char *p;
			char ad[64];

			after = db_cell_ll(&rows, i, 0);
			vault_identity_ad(ad, sizeof ad, (uint64_t)after);
			if ((p = vault_unseal(a, key, box, bl, ad, &n)) != NULL && is_image(p, n)) {
				++*good;
			} else if (++*bad == 1) {
				snprintf(first, firstlen, "the identity photo of account %lld (key %d)", after, key);
			}
			free(p);
		}
		db_rows_free(&rows);
		if (rows.nrows < 100)
			break;
	}
	after = 0;
	for (;;) {
		if ((rc = db_query(a->db, STMT_VAULT_TOTP_ALL, DBARGS(DB_I(after), DB_I(100)), &rows)) != RK_OK)
			return rc;
		for (unsigned i = 0; i < rows.nrows; i++) {
			size_t bl, n = 0;
			const unsigned char *box = (const unsigned char *)db_cell(&rows, i, 2, &bl);
			int key = (int)db_cell_ll(&rows, i, 1);
			const unsigned char *k = keys_vault_key(&a->keys, KEYS_USE_TOTP, key);
			unsigned char secret[64];

			after = db_cell_ll(&rows, i, 0);
			/* a TOTP secret is 10 to 32 bytes (RFC 4226 §4 R6: 160 bits recommended, 128 at least; the demo seed's is 80) */
			if (k != NULL && keys_open(k, box, bl, secret, sizeof secret, &n) == 0 && n >= 10 && n <= 32) {
				++*good;
			} else if (++*bad == 1) {
				snprintf(first, firstlen, "the TOTP secret of account %lld (key %d)", after, key);
			}
			sodium_memzero(secret, sizeof secret);
		}
		db_rows_free(&rows);
		if (rows.nrows < 100)
			break;
	}
	db_rollback(a->db); /* read only: nothing to keep */
	return RK_OK;
}
