/* store/vault.h -- the evidence vault: sealed at rest, canonical PNGs. */
#ifndef REKEY_STORE_VAULT_H
#define REKEY_STORE_VAULT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

/* Sealed under the current key of the vault's ring (base/keys.h), whose id
 * goes into *key_id and is stored with the box; opened with the key of the
 * id stored. Both malloc'd, NULL on failure. */
unsigned char *vault_seal(const struct app *a, const unsigned char *p, size_t n, const char *ad, size_t *outlen, int *key_id);
unsigned char *vault_unseal(const struct app *a, int key_id, const unsigned char *box, size_t n, const char *ad, size_t *outlen);
void vault_ad(char *out, size_t outlen, uint64_t case_id, const char *kind, const char *shahex);
void vault_identity_ad(char *out, size_t outlen, uint64_t account);
/* A PNG re-encoded from the decoded pixels: no metadata, no trailing data (malloc'd in *out). */
int vault_canonical_png(const unsigned char *p, size_t n, unsigned char **out, size_t *outlen);
int vault_png(const unsigned char *rgb, int w, int h, unsigned char **out, size_t *outlen);

/* Key rotation (rekeyctl keys): a reseal's progress over its batches, which
 * cover the evidence, the identity photos and the TOTP secrets. */
struct vault_reseal {
	int evidence_done, photos_done, totp_done; /* no row left under an older key */
	unsigned batch;                  /* rows resealed by the last batch */
	unsigned long long resealed;     /* in all */
};
/* One batch of up to LIMIT rows sealed under an older key, opened and sealed
 * again under the current one, in one transaction (committed here). RK_OK;
 * RK_RETRY (run it again), RK_FAIL with why (a box that does not open). */
int vault_reseal_batch(struct app *a, int limit, struct vault_reseal *st, char *why, size_t whylen);
/* Opens every box with the key its row names (an original must match its
 * SHA-256, pictures be images, a TOTP secret 10 to 32 bytes): how many rows
 * do and do not, the first bad one. */
int vault_verify(struct app *a, unsigned long long *good, unsigned long long *bad, char *first, size_t firstlen);

#endif
